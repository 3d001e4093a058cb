//! One module per subcommand.

pub mod addons;
pub mod check;
pub mod completions;
pub mod diagnose;
pub mod explain;
pub mod generate;
pub mod init;
pub mod inject;
pub mod lab;
pub mod man;
pub mod migrate;
pub mod schema;
pub mod simulate;
