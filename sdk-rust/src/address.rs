//! The 20-byte address type, with the chain's bech32 form (`vsys1…`).

use crate::encoding::{AbiType, Decode, Encode, Error, Reader, Writer};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// A 20-byte account, module or contract address.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(pub [u8; 20]);

/// The bech32 human-readable part of every address.
pub const PREFIX: &str = "vsys";

impl Address {
    pub const LEN: usize = 20;
    pub const ZERO: Address = Address([0; 20]);

    /// The reserved address of native module n: nineteen zero bytes, then n
    /// (1 = token).
    pub const fn module(n: u8) -> Address {
        let mut a = [0u8; 20];
        a[19] = n;
        Address(a)
    }

    /// The account address of an ed25519 public key: sha256(pub)[:20].
    pub fn from_pubkey(pubkey: &[u8; 32]) -> Address {
        let h = crate::sha256(pubkey);
        let mut a = [0u8; 20];
        a.copy_from_slice(&h[..20]);
        Address(a)
    }

    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The bech32 form, `vsys1…`.
    pub fn to_bech32(&self) -> String {
        let data = convert_bits(&self.0, 8, 5, true).unwrap_or_default();
        let mut s = String::from(PREFIX);
        s.push('1');
        let mut values = data.clone();
        values.extend_from_slice(&checksum(PREFIX, &data));
        for v in values {
            s.push(CHARSET[v as usize] as char);
        }
        s
    }

    /// Parses the bech32 form, verifying the prefix and the checksum.
    pub fn from_bech32(s: &str) -> Result<Address, &'static str> {
        let lower = s.to_ascii_lowercase();
        if lower != s && s.to_ascii_uppercase() != s {
            return Err("mixed case");
        }
        let pos = lower.rfind('1').ok_or("no separator")?;
        let (hrp, rest) = (&lower[..pos], &lower[pos + 1..]);
        if hrp != PREFIX {
            return Err("wrong prefix");
        }
        if rest.len() < 6 {
            return Err("too short");
        }
        let mut values = Vec::with_capacity(rest.len());
        for c in rest.bytes() {
            let v = CHARSET.iter().position(|&x| x == c).ok_or("invalid character")?;
            values.push(v as u8);
        }
        let mut all = hrp_expand(hrp);
        all.extend_from_slice(&values);
        if polymod(&all) != 1 {
            return Err("bad checksum");
        }
        let data = convert_bits(&values[..values.len() - 6], 5, 8, false).ok_or("bad padding")?;
        if data.len() != 20 {
            return Err("not 20 bytes");
        }
        let mut a = [0u8; 20];
        a.copy_from_slice(&data);
        Ok(Address(a))
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_bech32())
    }
}
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_bech32())
    }
}

impl Encode for Address {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}
impl Decode for Address {
    const MIN_SIZE: usize = 20;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Address(r.array()?))
    }
}
impl AbiType for Address {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::Address;
}

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v as u32;
        for (i, g) in GEN.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn hrp_expand(hrp: &str) -> Vec<u8> {
    let mut v: Vec<u8> = hrp.bytes().map(|c| c >> 5).collect();
    v.push(0);
    v.extend(hrp.bytes().map(|c| c & 31));
    v
}

fn checksum(hrp: &str, data: &[u8]) -> [u8; 6] {
    let mut values = hrp_expand(hrp);
    values.extend_from_slice(data);
    values.extend_from_slice(&[0; 6]);
    let m = polymod(&values) ^ 1;
    let mut out = [0u8; 6];
    for (i, o) in out.iter_mut().enumerate() {
        *o = ((m >> (5 * (5 - i))) & 31) as u8;
    }
    out
}

fn convert_bits(data: &[u8], from: u32, to: u32, pad: bool) -> Option<Vec<u8>> {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let maxv: u32 = (1 << to) - 1;
    let mut out = Vec::new();
    for &v in data {
        if (v as u32) >> from != 0 {
            return None;
        }
        acc = (acc << from) | v as u32;
        bits += from;
        while bits >= to {
            bits -= to;
            out.push(((acc >> bits) & maxv) as u8);
        }
    }
    if pad {
        if bits > 0 {
            out.push(((acc << (to - bits)) & maxv) as u8);
        }
    } else if bits >= from || ((acc << (to - bits)) & maxv) != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_address_bech32() {
        let a = Address::module(1);
        assert_eq!(a.to_bech32(), "vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun");
        assert_eq!(Address::from_bech32("vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvun"), Ok(a));
        assert!(Address::from_bech32("vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp8hmvuq").is_err());
        let b = Address([0xab; 20]);
        assert_eq!(Address::from_bech32(&b.to_bech32()), Ok(b));
    }
}
