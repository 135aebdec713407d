//! Donations (issue 11): the program catalogue donors offer and the one
//! eligibility engine every path asks. Built so far: the engine.

pub mod eligibility;
