//! The faces' error: every layer's error in one type, the one line a user reads, and the exit
//! status, which comes from the error's kind (never from its text): 2 when the input was wrong or
//! refused, 1 when the store or the system failed.

pub use crate::domain::error::Kind;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] crate::domain::error::Error),
    #[error(transparent)]
    Store(#[from] crate::store::error::Error),
    #[error(transparent)]
    Io(#[from] crate::io::error::Error),
    #[error(transparent)]
    Output(#[from] crate::output::Error),
    #[error(transparent)]
    Files(#[from] crate::files::Error),
    /// The command or the form as given cannot run: flags that do not go together, no such file.
    #[error("{0}")]
    Usage(String),
    /// The terminal or the system failed under a face.
    #[error("{0}")]
    System(String),
    /// Where it happened: `--period: ...`, `FROM: ...`.
    #[error("{at}: {source}")]
    At { at: String, source: Box<Error> },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The input was wrong (exit 2).
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    /// The store or the system failed (exit 1).
    pub fn system(msg: impl Into<String>) -> Self {
        Error::System(msg.into())
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Domain(e) => e.kind(),
            Error::Store(e) => e.kind(),
            Error::Io(e) => e.kind(),
            Error::Files(e) => e.kind(),
            Error::Output(_) | Error::System(_) => Kind::System,
            Error::Usage(_) => Kind::Input,
            Error::At { source, .. } => source.kind(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.kind().exit_code()
    }

    /// The field of a form the refusal is about, when a layer below marked one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Domain(e) => e.field(),
            Error::Store(e) => e.field(),
            Error::At { source, .. } => source.field(),
            _ => None,
        }
    }

    /// True when the user can correct it (a form keeps it on screen instead of failing).
    pub fn is_input(&self) -> bool {
        self.kind() == Kind::Input
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::System(e.to_string())
    }
}

/// The domain's area errors (typed, each with its own words) are refusals of the input: exit 2.
/// A new area's error type is added to this list, so the domain never imports this module.
macro_rules! domain_refusals {
    ($($t:ty),+ $(,)?) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::Domain(crate::domain::error::Error::input(e.to_string()))
            }
        }
    )+};
}

domain_refusals!(
    crate::domain::team::TeamError,
    crate::domain::allocation::AllocationError,
    crate::domain::workflow::WorkflowError,
    crate::domain::workflow::template::TemplateError,
    crate::domain::winloss::WinLossError,
    crate::domain::battlecard::CardError,
    crate::domain::attribution::AttributionError,
    crate::domain::experiment::ExperimentError,
    crate::domain::alert::AlertError,
    crate::domain::postmortem::FollowUpError,
    crate::domain::annotation::AnnotationError,
);

/// Attach where an error happened ("--date", "file.csv:12") to its message.
pub trait Context<T> {
    fn context(self, what: impl std::fmt::Display) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl std::fmt::Display) -> Result<T> {
        self.map_err(|e| Error::At { at: what.to_string(), source: Box::new(e.into()) })
    }
}
