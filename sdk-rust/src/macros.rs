//! `vsys_struct!`, `entry!` and `abi!`.

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
            #[allow(unused_assignments)]
            fn abi_type() -> $crate::__private::String {
                #[allow(unused_mut)]
                let mut s = $crate::__private::String::from("struct{");
                #[allow(unused_mut, unused_variables, unused_assignments)]
                let mut first = true;
                $(
                    if !first { s.push(','); }
                    first = false;
                    s.push_str(stringify!($field));
                    s.push(':');
                    s.push_str(&<$fty as $crate::encoding::AbiType>::abi_type());
                )*
                s.push('}');
                s
            }
        }
    )*};
}

/// Declares entry points. Each function takes its arguments as one value
/// (usually a [`vsys_struct!`] struct; none means `struct{}`) and returns
/// `Result<R, E>` with `R: Encode` and `E: Display`. The macro generates an
/// exported `[] -> []` function of the same name (`#[no_mangle] extern "C"`
/// on wasm32, a plain `pub fn()` natively for [`testing`](crate::testing)) that
/// decodes the input (aborting with "bad args: …"), runs the body, writes the
/// encoded `Ok` value as output, or aborts with the `Err` message.
///
/// ```ignore
/// vsys_sdk::entry! {
///     fn init(args: InitArgs) -> Result<(), String> { COUNT.set(&args.start); Ok(()) }
///     fn get() -> Result<u64, String> { Ok(COUNT.get_or(0)) }
/// }
/// ```
/// Method names must not collide with the host imports (`call`, `emit`, ...).
#[macro_export]
macro_rules! entry {
    ($(
        $(#[$m:meta])*
        $vis:vis fn $name:ident ( $($arg:ident : $aty:ty)? ) -> $ret:ty $body:block
    )*) => {$(
        $crate::__entry_one! { [$(#[$m])*] $name [$($arg : $aty)?] [$ret] $body }
    )*};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __entry_one {
    ([$($attr:tt)*] $name:ident [$arg:ident : $aty:ty] [$ret:ty] $body:block) => {
        $($attr)*
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn $name() {
            fn __vsys_entry_body($arg: $aty) -> $ret $body
            $crate::api::__run_entry(__vsys_entry_body)
        }

        $($attr)*
        #[cfg(not(target_arch = "wasm32"))]
        pub fn $name() {
            fn __vsys_entry_body($arg: $aty) -> $ret $body
            $crate::api::__run_entry(__vsys_entry_body)
        }
    };
    ([$($attr:tt)*] $name:ident [] [$ret:ty] $body:block) => {
        $crate::__entry_one! { [$($attr)*] $name [_unit_args: ()] [$ret] $body }
    };
}

/// Embeds the contract's ABI JSON: defines `pub const ABI_JSON: &str` and, on
/// wasm32, a custom section `vsys_abi` holding exactly those bytes.
///
/// ```ignore
/// vsys_sdk::abi!(include_str!("../abi.json"));
/// ```
#[macro_export]
macro_rules! abi {
    ($json:expr) => {
        /// The contract's ABI (JSON), also stored in the `vsys_abi` custom section.
        pub const ABI_JSON: &str = $json;

        #[cfg(target_arch = "wasm32")]
        #[link_section = "vsys_abi"]
        #[doc(hidden)]
        #[used]
        pub static __VSYS_ABI: [u8; ABI_JSON.len()] = $crate::__abi_bytes::<{ ABI_JSON.len() }>(ABI_JSON);
    };
}

/// Copies a str into a byte array at compile time (for [`abi!`]).
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
