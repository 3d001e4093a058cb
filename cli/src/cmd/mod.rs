//! One module per subcommand.

pub mod check;
pub mod explain;
pub mod generate;
pub mod init;
pub mod inject;
pub mod simulate;
