//! Validations: vetting organizations through the partner network (issue 10).
//! Built so far: the tables (migration `m20261202_000001`) and the state machine.

pub mod evidence_store;
