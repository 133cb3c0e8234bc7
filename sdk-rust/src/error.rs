//! Typed errors of entry points.
//!
//! An entry point returns [`Result<T>`](Result) = `Result<T, Error>`. An
//! [`Error`] has a `code` (0 = none) and a message. It reaches the chain
//! through `abort`: the transaction (or query) fails with result code
//! `CodeCallFailed` (17) and its log holds
//! `NAME.METHOD: contract aborted: TEXT`, where `TEXT` is [`Error`]'s
//! `Display`:
//!
//! * code 0: the message itself (`"insufficient balance"`), which is what
//!   `Error::from("…")`, `Error::from(String)`, `?` on an SDK call and
//!   [`fail!`](crate::fail) / [`ensure!`](crate::ensure) without a code give;
//! * code n > 0: `"E<n>: message"` (`"E2: insufficient balance"`), so a
//!   client tells failures apart by the number after `E` and before `:`
//!   without matching text.
//!
//! A failed [`Ctx::call`](crate::Ctx::call) into another contract or module comes back
//! as an `Error` of code 0 whose message is the callee's error text (an
//! `E<n>: ` prefix in it is the callee's code: [`Error::callee_code`]).

use alloc::string::{String, ToString};
use core::fmt;

/// An entry point's failure: a code (0 = none) and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: u32,
    message: String,
}

/// `Result<T, Error>`, the return type of entry points.
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An error with a code (> 0 to be shown as `E<code>: `).
    pub fn new(code: u32, message: impl Into<String>) -> Error {
        Error { code, message: message.into() }
    }
    /// An error without a code.
    pub fn msg(message: impl Into<String>) -> Error {
        Error { code: 0, message: message.into() }
    }
    /// The code; 0 when there is none.
    pub fn code(&self) -> u32 {
        self.code
    }
    /// The message, without the code.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Prefixes the message with `what: ` (the code stays).
    pub fn context(self, what: &str) -> Error {
        Error { code: self.code, message: alloc::format!("{}: {}", what, self.message) }
    }
    /// The code of a failed call's callee, if its text starts with
    /// `E<n>: ` after any `NAME.METHOD: contract aborted: ` chain prefix.
    pub fn callee_code(&self) -> Option<u32> {
        let m = self.message.rsplit("contract aborted: ").next().unwrap_or(&self.message);
        let rest = m.strip_prefix('E')?;
        let (n, _) = rest.split_once(": ")?;
        n.parse().ok()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "E{}: {}", self.code, self.message)
        }
    }
}

impl From<&str> for Error {
    fn from(s: &str) -> Error {
        Error::msg(s)
    }
}
impl From<String> for Error {
    fn from(s: String) -> Error {
        Error::msg(s)
    }
}
impl From<crate::encoding::Error> for Error {
    fn from(e: crate::encoding::Error) -> Error {
        Error::msg(e.to_string())
    }
}
/// For code that still returns `Result<_, String>`: `?` on an SDK call
/// turns its `Error` into the text the chain would show.
impl From<Error> for String {
    fn from(e: Error) -> String {
        e.to_string()
    }
}

/// True if `s` has no `{` or `}` (a `fail!` message that needs no formatting).
#[doc(hidden)]
pub const fn __no_braces(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' || b[i] == b'}' {
            return false;
        }
        i += 1;
    }
    true
}

/// Returns `Err(Error)` from the enclosing function: `fail!("text")`,
/// `fail!("fmt {}", x)` or, with a code, `fail!(code = 3, "fmt {}", x)`.
#[macro_export]
macro_rules! fail {
    (code = $code:expr, $($fmt:tt)+) => {
        return ::core::result::Result::Err($crate::Error::new($code, $crate::__private::format!($($fmt)+)).into())
    };
    // a lone literal without braces: taken as is, no formatting code
    ($msg:literal) => {{
        const PLAIN: bool = $crate::error::__no_braces($msg);
        return ::core::result::Result::Err(
            if PLAIN { $crate::Error::msg($msg) } else { $crate::Error::msg($crate::__private::format!($msg)) }.into(),
        );
    }};
    ($($fmt:tt)+) => {
        return ::core::result::Result::Err($crate::Error::msg($crate::__private::format!($($fmt)+)).into())
    };
}

/// `ensure!(cond, …)`: [`fail!`](crate::fail)`(…)` unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($rest:tt)+) => {
        if !$cond {
            $crate::fail!($($rest)+);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: u32) -> Result<u32> {
        crate::ensure!(x > 0, "x must be positive");
        crate::ensure!(x < 10, code = 7, "x is {}, over 9", x);
        if x == 5 {
            crate::fail!("five");
        }
        if x == 6 {
            crate::fail!("{{six}}");
        }
        let seven = 7;
        if x == seven {
            crate::fail!("{seven}");
        }
        Ok(x)
    }

    #[test]
    fn display_and_codes() {
        assert_eq!(f(1), Ok(1));
        assert_eq!(f(0).unwrap_err().to_string(), "x must be positive");
        let e = f(12).unwrap_err();
        assert_eq!((e.code(), e.message(), e.to_string().as_str()), (7, "x is 12, over 9", "E7: x is 12, over 9"));
        assert_eq!(f(5).unwrap_err(), Error::msg("five"));
        assert_eq!(f(6).unwrap_err(), Error::msg("{six}"));
        assert_eq!(f(7).unwrap_err(), Error::msg("7"));
        let s: String = Error::new(3, "m").context("payout").into();
        assert_eq!(s, "E3: payout: m");
        let callee = Error::msg("token.send: contract aborted: E4: insufficient funds");
        assert_eq!(callee.callee_code(), Some(4));
        assert_eq!(Error::msg("E12: x").callee_code(), Some(12));
        assert_eq!(Error::msg("plain").callee_code(), None);
    }
}
