//! `vsys_struct!`, `entry!`, `events!` and `abi!`.

/// Declares structs whose encoding is their fields in order (`struct{...}`),
/// implementing [`Encode`](crate::Encode), [`Decode`](crate::Decode) and
/// [`AbiType`](crate::AbiType). Each also derives Clone, Debug, PartialEq, Eq
/// and Default.
///
/// ```
/// vsys_sdk::vsys_struct! {
///     pub struct SendArgs { pub to: vsys_sdk::Address, pub amount: u128 }
///     pub struct Empty {}
/// }
/// use vsys_sdk::AbiType;
/// assert_eq!(SendArgs::abi_type(), "struct{to:address,amount:u128}");
/// ```
#[macro_export]
macro_rules! vsys_struct {
    ($(
        $(#[$m:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fm:meta])* $fvis:vis $field:ident : $fty:ty ),* $(,)?
        }
    )*) => {$(
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Default)]
        $vis struct $name {
            $( $(#[$fm])* $fvis $field: $fty ),*
        }

        impl $crate::encoding::Encode for $name {
            #[allow(unused_variables)]
            fn encode(&self, w: &mut $crate::encoding::Writer) {
                $( $crate::encoding::Encode::encode(&self.$field, w); )*
            }
        }

        impl $crate::encoding::Decode for $name {
            const MIN_SIZE: usize = 0 $( + <$fty as $crate::encoding::Decode>::MIN_SIZE )*;
            #[allow(unused_variables)]
            fn decode(r: &mut $crate::encoding::Reader<'_>) -> ::core::result::Result<Self, $crate::encoding::Error> {
                ::core::result::Result::Ok($name {
                    $( $field: <$fty as $crate::encoding::Decode>::decode(r)?, )*
                })
            }
        }

        impl $crate::encoding::AbiType for $name {
            const TYPE: &'static $crate::abi::Type = &$crate::abi::Type::Struct(&[
                $( $crate::abi::Field { name: stringify!($field), ty: <$fty as $crate::encoding::AbiType>::TYPE }, )*
            ]);
        }
    )*};
}

/// Declares entry points. Each function takes first its handle — `&View`
/// for a `#[view]` method, `&mut Ctx` otherwise (see [`ctx`](crate::ctx)) —
/// then, optionally, its arguments as one value (a [`vsys_struct!`] struct;
/// none means `struct{}`), and returns `Result<R, E>` with
/// `R: Encode + AbiType` and `E: Display` (normally
/// [`vsys_sdk::Result<R>`](crate::Result)). The macro generates an exported
/// `[] -> []` function of the same name (`#[no_mangle] extern "C"` on wasm32,
/// a plain `pub fn()` natively for [`testing`](crate::testing)) that decodes
/// the input (aborting with "bad args: …"), runs the body with the handle,
/// writes the encoded `Ok` value as output, or aborts with the `Err`'s text.
///
/// It also describes every function for [`abi!`](crate::abi) (a constant
/// `__VSYS_ENTRIES`): its name, argument and result types, `doc` from the
/// `///` comment, and `readonly` for a function marked `#[view]`. A `#[view]`
/// method gets a [`View`](crate::View), which cannot write: a storage write,
/// an event or a call with [`Ctx`](crate::Ctx) in it does not compile (and
/// the chain, like the mock host, runs it read-only). A method without
/// `#[view]` may still declare `&View` if it only reads. `init` and
/// `migrate` are the contract's entry points, not methods.
///
/// ```ignore
/// vsys_sdk::entry! {
///     fn init(c: &mut Ctx, args: InitArgs) -> Result<()> { COUNT.set(c, &args.start); Ok(()) }
///     /// The counter's value.
///     #[view]
///     fn get(v: &View) -> Result<u64> { Ok(COUNT.get_or(v, 0)) }
/// }
/// ```
/// One `entry!` per contract, at the crate root (where `abi!` is). Method
/// names must not collide with the host imports (`call`, `emit`, ...).
#[macro_export]
macro_rules! entry {
    ($(
        $(#[$($attr:tt)*])*
        $vis:vis fn $name:ident ( $h:tt : $hty:ty $(, $arg:ident : $aty:ty)? ) -> $ret:ty $body:block
    )*) => {
        $(
            $crate::__entry_one! { @attrs [] [false] [$(#[$($attr)*])*] $name [$h : $hty] [$($arg : $aty)?] [$ret] $body }
        )*
        #[doc(hidden)]
        #[allow(dead_code)]
        const __VSYS_ENTRIES: &[$crate::abi::Entry] = &[$(
            $crate::__entry_desc! { @attrs [] [false] [$(#[$($attr)*])*] $name [$($aty)?] [$ret] }
        ),*];
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __entry_one {
    // sort the attributes: `#[view]` sets the flag, the rest go on the function
    (@attrs [$($keep:tt)*] [$view:tt] [#[view] $($more:tt)*] $($rest:tt)*) => {
        $crate::__entry_one! { @attrs [$($keep)*] [true] [$($more)*] $($rest)* }
    };
    (@attrs [$($keep:tt)*] [$view:tt] [#[$($a:tt)*] $($more:tt)*] $($rest:tt)*) => {
        $crate::__entry_one! { @attrs [$($keep)* #[$($a)*]] [$view] [$($more)*] $($rest)* }
    };
    (@attrs [$($keep:tt)*] [$view:tt] [] $name:ident [$h:tt : $hty:ty] [$arg:ident : $aty:ty] [$ret:ty] $body:block) => {
        $($keep)*
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn $name() {
            fn __vsys_entry_body($h: $hty, $arg: $aty) -> $ret $body
            $crate::__entry_run!($view, __vsys_entry_body)
        }

        $($keep)*
        #[cfg(not(target_arch = "wasm32"))]
        pub fn $name() {
            fn __vsys_entry_body($h: $hty, $arg: $aty) -> $ret $body
            $crate::__entry_run!($view, __vsys_entry_body)
        }
    };
    (@attrs [$($keep:tt)*] [$view:tt] [] $name:ident [$h:tt : $hty:ty] [] [$ret:ty] $body:block) => {
        $crate::__entry_one! { @attrs [$($keep)*] [$view] [] $name [$h : $hty] [_unit_args: ()] [$ret] $body }
    };
}

/// Runs an entry body with the handle its `#[view]` flag gives: a view gets
/// `&View` only (a body declared `&mut Ctx` does not type-check), a method
/// `&mut Ctx` (which coerces to `&View` for a body that only reads).
#[doc(hidden)]
#[macro_export]
macro_rules! __entry_run {
    (true, $f:ident) => {
        $crate::api::__run_view(|h: &$crate::View, a| $f(h, a))
    };
    (false, $f:ident) => {
        $crate::api::__run_entry(|h: &mut $crate::Ctx, a| $f(h, a))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __entry_desc {
    (@attrs [$($doc:tt)*] [$view:tt] [#[view] $($more:tt)*] $($rest:tt)*) => {
        $crate::__entry_desc! { @attrs [$($doc)*] [true] [$($more)*] $($rest)* }
    };
    (@attrs [$($doc:tt)*] [$view:tt] [#[doc = $d:literal] $($more:tt)*] $($rest:tt)*) => {
        $crate::__entry_desc! { @attrs [$($doc)* $d,] [$view] [$($more)*] $($rest)* }
    };
    (@attrs [$($doc:tt)*] [$view:tt] [#[$($a:tt)*] $($more:tt)*] $($rest:tt)*) => {
        $crate::__entry_desc! { @attrs [$($doc)*] [$view] [$($more)*] $($rest)* }
    };
    (@attrs [$($doc:literal,)*] [$view:tt] [] $name:ident [$($aty:ty)?] [$ret:ty]) => {
        $crate::abi::Entry {
            name: stringify!($name),
            args: $crate::__entry_args_type!($($aty)?),
            result: <<$ret as $crate::abi::EntryResult>::Ok as $crate::encoding::AbiType>::TYPE,
            readonly: $view,
            doc: concat!($($doc, "\n",)*),
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __entry_args_type {
    () => {
        $crate::abi::Type::UNIT
    };
    ($aty:ty) => {
        <$aty as $crate::encoding::AbiType>::TYPE
    };
}

/// Declares the contract's events: each a [`vsys_struct!`] struct bound to
/// its event name, implementing [`Event`](crate::Event), and listed in the
/// ABI by [`abi!`](crate::abi) (a constant `__VSYS_EVENTS`). Emit one with
/// `ev.emit(c)` (`c` the `&mut Ctx`): the name and the data's type are the ABI's by construction.
///
/// ```
/// vsys_sdk::events! {
///     /// Emitted by `increment`.
///     pub struct Incremented as "incremented" { pub value: u64 }
/// }
/// use vsys_sdk::Event;
/// assert_eq!(Incremented::NAME, "incremented");
/// ```
/// One `events!` per contract, at the crate root.
#[macro_export]
macro_rules! events {
    ($(
        $(#[$m:meta])*
        $vis:vis struct $name:ident as $ename:literal {
            $( $(#[$fm:meta])* $fvis:vis $field:ident : $fty:ty ),* $(,)?
        }
    )*) => {
        $(
            $crate::vsys_struct! {
                $(#[$m])*
                $vis struct $name { $( $(#[$fm])* $fvis $field : $fty ),* }
            }
            impl $crate::Event for $name {
                const NAME: &'static str = $ename;
            }
        )*
        #[doc(hidden)]
        #[allow(dead_code)]
        const __VSYS_EVENTS: &[$crate::abi::EventDesc] = &[$(
            $crate::abi::EventDesc { name: $ename, ty: <$name as $crate::encoding::AbiType>::TYPE }
        ),*];
    };
}

/// Writes the contract's ABI, generated from the declarations at the crate
/// root: the functions of `entry!`, the events of `events!` and the tables
/// listed here. It defines `pub const ABI_JSON: &str` and, on wasm32, the
/// custom section `vsys_abi` holding exactly those bytes; both are computed
/// at compile time (see [`abi`](crate::abi) for the JSON). The contract's
/// name is its Cargo package name.
///
/// ```ignore
/// vsys_sdk::abi!();                       // no tables
/// vsys_sdk::abi!(tables = [Item]);        // table! types, listed for clients
/// ```
///
/// A whole (tiny) contract, and what it generates:
///
/// ```
/// use vsys_sdk::Result;
/// vsys_sdk::vsys_struct! { pub struct Stats { pub wins: u64, pub losses: u64 } }
/// vsys_sdk::entry! {
///     /// Wins and losses.
///     #[view]
///     fn stats(_v: &vsys_sdk::View) -> Result<Stats> { Ok(Stats { wins: 1, losses: 2 }) }
/// }
/// vsys_sdk::abi!();
/// assert_eq!(ABI_JSON, r#"{"name":"vsys-sdk","methods":[{"name":"stats","args":"struct{}","result":"struct{wins:u64,losses:u64}","readonly":true,"doc":"Wins and losses."}],"events":[]}"#);
/// ```
///
/// What the chain would refuse does not build. A result type without an
/// ABI type (a tuple):
///
/// ```compile_fail
/// use vsys_sdk::Result;
/// vsys_sdk::entry! {
///     fn stats(_v: &vsys_sdk::View) -> Result<(u64, u64)> { Ok((1, 2)) }
/// }
/// vsys_sdk::abi!();
/// ```
///
/// Two entry points of the same name (descriptions written by hand here;
/// `entry!` cannot define two functions of one name anyway):
///
/// ```compile_fail
/// use vsys_sdk::abi::{Entry, Type};
/// const __VSYS_ENTRIES: &[Entry] = &[
///     Entry { name: "stats", args: Type::UNIT, result: &Type::U64, readonly: true, doc: "" },
///     Entry { name: "stats", args: Type::UNIT, result: &Type::U64, readonly: true, doc: "" },
/// ];
/// vsys_sdk::abi!();
/// ```
///
/// `#[view]` on `init`:
///
/// ```compile_fail
/// use vsys_sdk::Result;
/// vsys_sdk::entry! {
///     #[view]
///     fn init(_v: &vsys_sdk::View) -> Result<()> { Ok(()) }
/// }
/// vsys_sdk::abi!();
/// ```
///
/// Arguments that are not a struct:
///
/// ```compile_fail
/// use vsys_sdk::Result;
/// vsys_sdk::entry! {
///     fn bump(_c: &mut vsys_sdk::Ctx, by: u64) -> Result<u64> { Ok(by) }
/// }
/// vsys_sdk::abi!();
/// ```
#[macro_export]
macro_rules! abi {
    () => {
        $crate::abi!(tables = []);
    };
    (tables = [$($t:ty),* $(,)?]) => {
        // a contract without entry! or events! gets the empty defaults:
        // explicit items shadow these glob imports
        #[allow(unused_imports)]
        use $crate::abi::defaults::*;
        #[doc(hidden)]
        const __VSYS_ABI_DESC: $crate::abi::Contract = $crate::abi::Contract {
            name: env!("CARGO_PKG_NAME"),
            entries: __VSYS_ENTRIES,
            events: __VSYS_EVENTS,
            tables: &[$(&<$t as $crate::db::Table>::ABI),*],
        };
        #[doc(hidden)]
        const __VSYS_ABI_LEN: usize = $crate::abi::json_len(&__VSYS_ABI_DESC);
        #[doc(hidden)]
        const __VSYS_ABI_BYTES: [u8; __VSYS_ABI_LEN] = $crate::abi::json::<__VSYS_ABI_LEN>(&__VSYS_ABI_DESC);
        /// The contract's ABI (JSON), generated from its types; also the
        /// `vsys_abi` custom section of the wasm module.
        pub const ABI_JSON: &str = unsafe { ::core::str::from_utf8_unchecked(&__VSYS_ABI_BYTES) };

        #[cfg(target_arch = "wasm32")]
        #[link_section = "vsys_abi"]
        #[doc(hidden)]
        #[used]
        static __VSYS_ABI: [u8; __VSYS_ABI_LEN] = __VSYS_ABI_BYTES;
    };
    // Deprecated: a hand-written ABI (`abi!(include_str!("../abi.json"))`),
    // kept so that older contracts build while they are converted (see
    // sdk-rust/README.md, "Converting a contract"); contracts/check.sh
    // refuses an abi.json in contracts/.
    ($json:expr) => {
        /// The contract's ABI (JSON, hand-written), also stored in the `vsys_abi` custom section.
        pub const ABI_JSON: &str = $json;

        #[cfg(target_arch = "wasm32")]
        #[link_section = "vsys_abi"]
        #[doc(hidden)]
        #[used]
        pub static __VSYS_ABI: [u8; ABI_JSON.len()] = $crate::__abi_bytes::<{ ABI_JSON.len() }>(ABI_JSON);
    };
}

/// Copies a str into a byte array at compile time (for the deprecated
/// hand-written form of [`abi!`]).
#[doc(hidden)]
pub const fn __abi_bytes<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = b[i];
        i += 1;
    }
    out
}
