//! A small JSON parser, enough to check ABI JSON in tests.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// Numbers are kept as their text (no floats).
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one JSON value (and nothing after it but whitespace).
pub fn parse_json(s: &str) -> Result<Json, String> {
    let mut p = P { b: s.as_bytes(), i: 0 };
    let v = p.value()?;
    p.ws();
    if p.i != p.b.len() {
        return Err(format!("trailing data at {}", p.i));
    }
    Ok(v)
}

use alloc::format;

struct P<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> P<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at {}", c as char, self.i))
        }
    }
    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut kv = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(kv));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    if kv.iter().any(|(x, _): &(String, Json)| *x == k) {
                        return Err(format!("duplicate key {}", k));
                    }
                    self.eat(b':')?;
                    let v = self.value()?;
                    kv.push((k, v));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Obj(kv));
                        }
                        _ => return Err(format!("expected ',' or '}}' at {}", self.i)),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(v));
                }
                loop {
                    v.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Arr(v));
                        }
                        _ => return Err(format!("expected ',' or ']' at {}", self.i)),
                    }
                }
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(Json::Bool(true))
            }
            Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(Json::Bool(false))
            }
            Some(b'n') if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                Ok(Json::Null)
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let st = self.i;
                self.i += 1;
                while self.i < self.b.len() && matches!(self.b[self.i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    self.i += 1;
                }
                Ok(Json::Num(String::from_utf8_lossy(&self.b[st..self.i]).into_owned()))
            }
            _ => Err(format!("unexpected input at {}", self.i)),
        }
    }
    fn string(&mut self) -> Result<String, String> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(format!("expected string at {}", self.i));
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.b.get(self.i) {
                None => return Err("unterminated string".to_string()),
                Some(b'"') => {
                    self.i += 1;
                    return String::from_utf8(out).map_err(|_| "invalid UTF-8".to_string());
                }
                Some(b'\\') => {
                    let c = *self.b.get(self.i + 1).ok_or("bad escape")?;
                    self.i += 2;
                    match c {
                        b'"' | b'\\' | b'/' => out.push(c),
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let h = self.b.get(self.i..self.i + 4).ok_or("bad \\u escape")?;
                            let cp = u32::from_str_radix(core::str::from_utf8(h).map_err(|_| "bad \\u")?, 16)
                                .map_err(|_| "bad \\u escape")?;
                            self.i += 4;
                            let ch = char::from_u32(cp).ok_or("unsupported \\u escape")?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err("bad escape".to_string()),
                    }
                }
                Some(c) if *c < 0x20 => return Err("control character in string".to_string()),
                Some(c) => {
                    out.push(*c);
                    self.i += 1;
                }
            }
        }
    }
}

/// One method of an ABI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbiMethod {
    pub name: String,
    pub args: String,
    pub result: String,
    pub readonly: bool,
    pub doc: String,
}

fn parse_abi(abi: &str) -> Json {
    let v = parse_json(abi).unwrap_or_else(|e| panic!("ABI JSON: {}", e));
    assert!(v.get("name").and_then(Json::as_str).is_some(), "ABI JSON: no name");
    v
}

pub(crate) fn abi_methods(abi: &str) -> Vec<AbiMethod> {
    let v = parse_abi(abi);
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    if let Some(Json::Arr(ms)) = v.get("methods") {
        for m in ms {
            let s = |k: &str| m.get(k).and_then(Json::as_str).unwrap_or("").to_string();
            let am = AbiMethod {
                name: s("name"),
                args: s("args"),
                result: s("result"),
                readonly: m.get("readonly") == Some(&Json::Bool(true)),
                doc: s("doc"),
            };
            assert!(seen.insert(am.name.clone(), ()).is_none(), "ABI JSON: duplicate method {}", am.name);
            out.push(am);
        }
    }
    out
}

pub(crate) fn abi_events(abi: &str) -> Vec<(String, String)> {
    let v = parse_abi(abi);
    let mut out = Vec::new();
    if let Some(Json::Arr(es)) = v.get("events") {
        for e in es {
            let s = |k: &str| e.get(k).and_then(Json::as_str).unwrap_or("").to_string();
            out.push((s("name"), s("type")));
        }
    }
    out
}
