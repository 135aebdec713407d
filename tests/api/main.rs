//! Black-box tests: each spawns the application on port 0 against a fresh
//! database and speaks HTTP to it. One test binary, one module per area.

mod helpers;

mod cli;
mod countries;
mod health;
mod schema;
mod statements;
