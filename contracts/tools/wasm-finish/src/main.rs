//! wasm-finish IN OUT: the post-link step of `make contracts`.
//!
//! rustc always asks wasm-ld to export the `__heap_base` and `__data_end`
//! globals; the VM wants only `memory` and the entry points (docs/vm.md), so
//! this drops those two exports (the module is otherwise copied byte for
//! byte) and checks what can be checked without a disassembler:
//! - imports are functions of module `vsys` with the host API's signatures;
//! - no start section, one memory of at most 512 initial pages exported as
//!   `memory`, no imported memory/table/global;
//! - no f32/f64 value type in types, globals or locals (instructions are
//!   checked by `wasm-objdump -d | grep` in scripts/contracts-check.sh);
//! - every exported function is `[] -> []`, named in the ABI or `init` /
//!   `migrate`, none `__vsys_*`; every ABI method is exported;
//! - exactly one `vsys_abi` custom section holding valid ABI JSON, with
//!   `init`/`migrate` types exactly when those entry points exist;
//! - size ≤ 800 KiB, ≤ 10,000 functions, ≤ 1,000 locals per function, data
//!   segments ≤ 64 KiB.

mod host;

use host::HOST;
use std::process::exit;
use vsys_sdk::testing::{parse_json, Json};

const F32: u8 = 0x7d;
const F64: u8 = 0x7c;
const DROP_EXPORTS: &[&str] = &["__heap_base", "__data_end"];

struct R<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> R<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.i).ok_or("unexpected end")?;
        self.i += 1;
        Ok(v)
    }
    fn u32(&mut self) -> Result<u32, String> {
        let mut v: u64 = 0;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 35 {
                return Err("LEB128 too long".into());
            }
        }
        u32::try_from(v).map_err(|_| "LEB128 overflow".into())
    }
    fn sleb(&mut self) -> Result<(), String> {
        while self.byte()? & 0x80 != 0 {}
        Ok(())
    }
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self.b.get(self.i..self.i + n).ok_or("unexpected end")?;
        self.i += n;
        Ok(s)
    }
    fn name(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).map_err(|_| "name not UTF-8".into())
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
}

fn leb(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn const_expr(r: &mut R) -> Result<(), String> {
    loop {
        match r.byte()? {
            0x0b => return Ok(()),
            0x41 | 0x42 => r.sleb()?,
            0x23 => {
                r.u32()?;
            }
            0x43 | 0x44 => return Err("float constant".into()),
            op => return Err(format!("unsupported constant expression opcode 0x{:02x}", op)),
        }
    }
}

fn limits(r: &mut R) -> Result<u32, String> {
    let flag = r.byte()?;
    let min = r.u32()?;
    if flag & 1 == 1 {
        r.u32()?;
    }
    Ok(min)
}

fn run(wasm: &[u8]) -> Result<Vec<u8>, String> {
    if wasm.len() > 800 * 1024 {
        return Err(format!("module is {} bytes, over 800 KiB", wasm.len()));
    }
    if wasm.len() < 8 || &wasm[..8] != b"\0asm\x01\0\0\0" {
        return Err("not a WebAssembly 1.0 module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut r = R { b: wasm, i: 8 };
    let mut types: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new(); // imported then defined
    let mut n_imported = 0usize;
    let mut memories = 0;
    let mut exports: Vec<(String, u8, u32)> = Vec::new();
    let mut abi: Option<String> = None;
    while !r.done() {
        let id = r.byte()?;
        let size = r.u32()? as usize;
        let start = r.i;
        let body = r.bytes(size)?;
        let mut s = R { b: body, i: 0 };
        let mut replaced: Option<Vec<u8>> = None;
        match id {
            0 => {
                let name = s.name()?;
                if name == "vsys_abi" {
                    if abi.is_some() {
                        return Err("two vsys_abi sections".into());
                    }
                    abi = Some(String::from_utf8(body[s.i..].to_vec()).map_err(|_| "vsys_abi is not UTF-8")?);
                }
            }
            1 => {
                for _ in 0..s.u32()? {
                    if s.byte()? != 0x60 {
                        return Err("bad function type".into());
                    }
                    let np = s.u32()? as usize;
                    let p = s.bytes(np)?.to_vec();
                    let nr = s.u32()? as usize;
                    let q = s.bytes(nr)?.to_vec();
                    if p.iter().chain(q.iter()).any(|&t| t == F32 || t == F64) {
                        return Err(format!("type {} uses a float", types.len()));
                    }
                    types.push((p, q));
                }
            }
            2 => {
                for _ in 0..s.u32()? {
                    let module = s.name()?;
                    let name = s.name()?;
                    let kind = s.byte()?;
                    if kind != 0 {
                        return Err(format!("import {}.{} is not a function", module, name));
                    }
                    let t = s.u32()?;
                    if module != "vsys" {
                        return Err(format!("import {}.{}: only module vsys may be imported", module, name));
                    }
                    let want = HOST.iter().find(|h| h.0 == name).ok_or_else(|| format!("import vsys.{}: not in the host API", name))?;
                    let got = types.get(t as usize).ok_or("bad type index")?;
                    if got.0 != want.1 || got.1 != want.2 {
                        return Err(format!("import vsys.{}: wrong signature", name));
                    }
                    func_types.push(t);
                    n_imported += 1;
                }
            }
            3 => {
                for _ in 0..s.u32()? {
                    func_types.push(s.u32()?);
                }
                if func_types.len() - n_imported > 10_000 {
                    return Err("more than 10,000 functions".into());
                }
            }
            5 => {
                for _ in 0..s.u32()? {
                    let min = limits(&mut s)?;
                    if min > 512 {
                        return Err(format!("memory starts at {} pages, over 512", min));
                    }
                    memories += 1;
                }
            }
            6 => {
                for g in 0..s.u32()? {
                    let t = s.byte()?;
                    if t == F32 || t == F64 {
                        return Err(format!("global {} is a float", g));
                    }
                    s.byte()?;
                    const_expr(&mut s)?;
                }
            }
            7 => {
                let mut kept = Vec::new();
                let mut enc = Vec::new();
                for _ in 0..s.u32()? {
                    let name = s.name()?;
                    let kind = s.byte()?;
                    let idx = s.u32()?;
                    if kind == 3 && DROP_EXPORTS.contains(&name.as_str()) {
                        continue;
                    }
                    leb(name.len() as u32, &mut enc);
                    enc.extend_from_slice(name.as_bytes());
                    enc.push(kind);
                    leb(idx, &mut enc);
                    kept.push((name, kind, idx));
                }
                let mut sec = Vec::new();
                leb(kept.len() as u32, &mut sec);
                sec.extend_from_slice(&enc);
                replaced = Some(sec);
                exports = kept;
            }
            8 => return Err("start section not allowed".into()),
            10 => {
                for f in 0..s.u32()? {
                    let size = s.u32()? as usize;
                    let body = s.bytes(size)?;
                    let mut b = R { b: body, i: 0 };
                    let mut total: u64 = 0;
                    for _ in 0..b.u32()? {
                        total += b.u32()? as u64;
                        let t = b.byte()?;
                        if t == F32 || t == F64 {
                            return Err(format!("function {} has a float local", n_imported + f as usize));
                        }
                    }
                    if total > 1000 {
                        return Err(format!("function {} has {} locals, over 1,000", n_imported + f as usize, total));
                    }
                }
            }
            11 => {
                for d in 0..s.u32()? {
                    let flag = s.u32()?;
                    if flag == 2 {
                        s.u32()?;
                    }
                    if flag != 1 {
                        const_expr(&mut s)?;
                    }
                    let n = s.u32()? as usize;
                    if n > 64 * 1024 {
                        return Err(format!("data segment {} is {} bytes, over 64 KiB", d, n));
                    }
                    s.bytes(n)?;
                }
            }
            _ => {}
        }
        let _ = start;
        out.push(id);
        match replaced {
            Some(sec) => {
                leb(sec.len() as u32, &mut out);
                out.extend_from_slice(&sec);
            }
            None => {
                leb(size as u32, &mut out);
                out.extend_from_slice(body);
            }
        }
    }
    if memories != 1 {
        return Err(format!("{} memories defined, want exactly 1", memories));
    }
    let abi = abi.ok_or("no vsys_abi custom section")?;
    let j = parse_json(&abi).map_err(|e| format!("vsys_abi: {}", e))?;
    if j.get("name").and_then(Json::as_str).is_none() {
        return Err("vsys_abi: no name".into());
    }
    let mut methods = Vec::new();
    match j.get("methods") {
        Some(Json::Arr(ms)) => {
            for m in ms {
                let n = m.get("name").and_then(Json::as_str).ok_or("vsys_abi: method without name")?;
                for k in ["args", "result"] {
                    if m.get(k).and_then(Json::as_str).is_none() {
                        return Err(format!("vsys_abi: method {} has no {}", n, k));
                    }
                }
                methods.push(n.to_string());
            }
        }
        _ => return Err("vsys_abi: no methods array".into()),
    }
    let mut mem_export = false;
    let mut funcs = Vec::new();
    for (name, kind, idx) in &exports {
        match kind {
            2 if name == "memory" => mem_export = true,
            0 => {
                if name.starts_with("__vsys_") {
                    return Err(format!("export {} uses a reserved name", name));
                }
                let t = *func_types.get(*idx as usize).ok_or("bad function index")?;
                let ty = &types[t as usize];
                if !ty.0.is_empty() || !ty.1.is_empty() {
                    return Err(format!("export {} is not [] -> []", name));
                }
                let special = name == "init" || name == "migrate";
                if !special && !methods.contains(name) {
                    return Err(format!("export {} is not a method of the ABI", name));
                }
                if special && j.get(name).and_then(Json::as_str).is_none() {
                    return Err(format!("export {} exists but the ABI has no {} type", name, name));
                }
                funcs.push(name.clone());
            }
            _ => return Err(format!("unexpected export {} (kind {})", name, kind)),
        }
    }
    if !mem_export {
        return Err("memory is not exported as \"memory\"".into());
    }
    for m in &methods {
        if !funcs.contains(m) {
            return Err(format!("ABI method {} is not exported", m));
        }
    }
    for e in ["init", "migrate"] {
        if j.get(e).is_some() && !funcs.iter().any(|f| f == e) {
            return Err(format!("ABI declares {} but the module does not export it", e));
        }
    }
    Ok(out)
}

fn custom_section<'a>(wasm: &'a [u8], want: &str) -> Option<&'a [u8]> {
    let mut r = R { b: wasm, i: 8 };
    while !r.done() {
        let id = r.byte().ok()?;
        let size = r.u32().ok()? as usize;
        let body = r.bytes(size).ok()?;
        if id == 0 {
            let mut s = R { b: body, i: 0 };
            if s.name().ok()? == want {
                return Some(&body[s.i..]);
            }
        }
    }
    None
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--abi" {
        // print the vsys_abi custom section exactly
        let wasm = std::fs::read(&args[2]).unwrap_or_else(|e| {
            eprintln!("{}: {}", args[2], e);
            exit(1)
        });
        match custom_section(&wasm, "vsys_abi") {
            Some(b) => {
                use std::io::Write;
                std::io::stdout().write_all(b).unwrap();
                return;
            }
            None => {
                eprintln!("{}: no vsys_abi section", args[2]);
                exit(1)
            }
        }
    }
    if args.len() != 3 {
        eprintln!("usage: wasm-finish IN.wasm OUT.wasm | wasm-finish --abi IN.wasm");
        exit(2);
    }
    let wasm = std::fs::read(&args[1]).unwrap_or_else(|e| {
        eprintln!("{}: {}", args[1], e);
        exit(1)
    });
    match run(&wasm) {
        Ok(out) => {
            if let Err(e) = std::fs::write(&args[2], out) {
                eprintln!("{}: {}", args[2], e);
                exit(1);
            }
        }
        Err(e) => {
            eprintln!("{}: {}", args[1], e);
            exit(1);
        }
    }
}
