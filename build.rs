//! Link the `mktg` executable at a fixed address (not position-independent).
//!
//! A position-independent executable is relocated by the loader at every start: some 13,000
//! relative relocations written into about 50 pages of `.data.rel.ro` and the GOT, each page a
//! copy-on-write fault. Linked at a fixed address those pointers are resolved once, at link
//! time, and the pages are read from the file as they are touched. The trade: the executable's
//! own image is not placed at a random address (its libraries, heap and stack still are); mktg
//! is a local program that reads the user's own files and speaks MCP only over stdio.
//! Tests and benches link as before.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
