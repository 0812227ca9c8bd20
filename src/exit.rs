//! How a command ends. Its exit code is what scripts and batch files see:
//! 0 when every file was read and every output written, 1 when some files
//! could not be read (the others were) or an output could not be written,
//! 2 when the command itself was wrong and nothing was written.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything was read and written.
    Done,
    /// 1: some files could not be read (the others were), or an output
    /// could not be written.
    Failed,
    /// 2: the command itself was wrong (a missing path, bad options or
    /// rules); nothing was written.
    Usage,
}

impl Exit {
    /// How a command stopped by an error ends: `Usage` when the error says
    /// the command was wrong, else `Failed`.
    pub fn of_error(usage: bool) -> Exit {
        if usage { Exit::Usage } else { Exit::Failed }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        match exit {
            Exit::Done => std::process::ExitCode::SUCCESS,
            Exit::Failed => std::process::ExitCode::from(1),
            Exit::Usage => std::process::ExitCode::from(2),
        }
    }
}
