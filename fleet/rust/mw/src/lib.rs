//! The module-wrapper protocol (BoringSSL acvptool), server side, for the Rust
//! wrappers of the fleet. A wrapper supplies its getConfig JSON, its describe
//! JSON and one handler; this module does the framing, the harness's error
//! convention and panic containment, and nothing else.
//!
//! Framing: a request and a response alike are u32le N, N x u32le lengths,
//! then the N byte strings. The first string of a request is the command name.
//! Exactly one response per request, except `flush`. A failed request is
//! answered with three strings: `pqc-harness/error`, kind, message.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

const MAX_STRINGS: u32 = 64;
const MAX_TOTAL: u64 = 64 << 20;

/// Why a request has no answer: the library refused the input, or cannot do it at all.
#[derive(Debug)]
pub enum Failure {
    /// The library refused the input (wrong length, invalid key, context too long).
    Rejected(String),
    /// The library cannot do this by design: the harness skips the case with this reason.
    Unsupported(String),
}

pub type Reply = Result<Vec<Vec<u8>>, Failure>;

pub fn rejected(msg: impl Into<String>) -> Failure {
    Failure::Rejected(msg.into())
}

pub fn unsupported(msg: impl Into<String>) -> Failure {
    Failure::Unsupported(msg.into())
}

/// An argument as a fixed-size array; any other length is a rejection naming the argument.
pub fn fixed<const N: usize>(arg: &[u8], what: &str) -> Result<[u8; N], Failure> {
    arg.try_into().map_err(|_| rejected(format!("{what} must be {N} bytes, got {}", arg.len())))
}

/// The one-byte boolean of the protocol.
pub fn flag(v: bool) -> Vec<Vec<u8>> {
    vec![vec![u8::from(v)]]
}

/// Exactly `N` arguments, or a rejection naming the command.
pub fn args<'a, const N: usize>(cmd: &str, a: &'a [Vec<u8>]) -> Result<[&'a [u8]; N], Failure> {
    if a.len() != N {
        return Err(rejected(format!("{cmd}: expected {N} arguments, got {}", a.len())));
    }
    Ok(std::array::from_fn(|i| a[i].as_slice()))
}

/// Answers the commands of one parameter set: `(op after the set name, args)`.
pub type SetHandler = fn(&str, &[Vec<u8>]) -> Reply;

/// Route `<parameter set>/<op>` to the handler of its set.
pub fn route(cmd: &str, a: &[Vec<u8>], sets: &[(&str, SetHandler)]) -> Reply {
    let unknown = || unsupported(format!("unknown command {cmd:?}"));
    let (set, op) = cmd.split_once('/').ok_or_else(unknown)?;
    let (_, handler) = sets.iter().find(|(name, _)| *name == set).ok_or_else(unknown)?;
    handler(op, a)
}

/// `"ML-KEM-768/keyGen/random","ML-KEM-1024/keyGen/random",...`: extension feature names for getConfig.
pub fn features(sets: &[&str], suffixes: &[&str]) -> String {
    let mut names = Vec::new();
    for s in sets {
        for x in suffixes {
            names.push(format!("\"{s}/{x}\""));
        }
    }
    names.join(",")
}

/// A JSON string literal (describe notes carry free text).
pub fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// `"a","b"`: a list of JSON strings, for the parameterSets of getConfig.
pub fn json_list(items: &[&str]) -> String {
    items.iter().map(|s| json_str(s)).collect::<Vec<_>>().join(",")
}

fn read_exact_or_eof(r: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..])? {
            0 if got == 0 => return Ok(false),
            0 => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "stream ended inside a frame")),
            n => got += n,
        }
    }
    Ok(true)
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    if !read_exact_or_eof(r, &mut b)? {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "stream ended inside a frame"));
    }
    Ok(u32::from_le_bytes(b))
}

/// One request, or None at a clean end of input.
fn read_request(r: &mut impl Read) -> io::Result<Option<Vec<Vec<u8>>>> {
    let mut head = [0u8; 4];
    if !read_exact_or_eof(r, &mut head)? {
        return Ok(None);
    }
    let n = u32::from_le_bytes(head);
    if n == 0 || n > MAX_STRINGS {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("request declares {n} strings")));
    }
    let lens = (0..n).map(|_| read_u32(r)).collect::<io::Result<Vec<u32>>>()?;
    if lens.iter().map(|&l| u64::from(l)).sum::<u64>() > MAX_TOTAL {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "request too large"));
    }
    let mut parts = Vec::with_capacity(lens.len());
    for l in lens {
        let mut p = vec![0u8; l as usize];
        if l > 0 && !read_exact_or_eof(r, &mut p)? {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "stream ended inside a frame"));
        }
        parts.push(p);
    }
    Ok(Some(parts))
}

fn write_frame(w: &mut impl Write, parts: &[Vec<u8>]) -> io::Result<()> {
    w.write_all(&(parts.len() as u32).to_le_bytes())?;
    for p in parts {
        w.write_all(&(p.len() as u32).to_le_bytes())?;
    }
    for p in parts {
        w.write_all(p)?;
    }
    Ok(())
}

fn error_frame(kind: &str, msg: &str) -> Vec<Vec<u8>> {
    vec![b"pqc-harness/error".to_vec(), kind.as_bytes().to_vec(), msg.as_bytes().to_vec()]
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_else(|| "panic".into())
}

/// Serve requests on stdin/stdout until stdin ends. `handle(command, args)`
/// answers every command other than getConfig, flush and pqc-harness/describe;
/// a command it does not know should be `Failure::Unsupported`.
pub fn serve(config: &str, describe: &str, mut handle: impl FnMut(&str, &[Vec<u8>]) -> Reply) -> io::Result<()> {
    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    while let Some(req) = read_request(&mut input)? {
        let cmd = String::from_utf8_lossy(&req[0]).into_owned();
        let resp = match cmd.as_str() {
            "getConfig" => vec![config.as_bytes().to_vec()],
            "flush" => {
                output.flush()?;
                continue;
            }
            "pqc-harness/describe" => vec![describe.as_bytes().to_vec()],
            _ => match catch_unwind(AssertUnwindSafe(|| handle(&cmd, &req[1..]))) {
                Ok(Ok(parts)) => parts,
                Ok(Err(Failure::Rejected(m))) => error_frame("rejected", &m),
                Ok(Err(Failure::Unsupported(m))) => error_frame("unsupported", &m),
                // A panic inside the library is its defect, not the wrapper's end: name it and keep serving.
                Err(p) => error_frame("error", &format!("{cmd}: the library panicked: {}", panic_text(&*p))),
            },
        };
        write_frame(&mut output, &resp)?;
        output.flush()?;
    }
    Ok(())
}
