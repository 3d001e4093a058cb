//! One module per subcommand.

pub mod completions;
pub mod generate;
pub mod init;
pub mod man;
