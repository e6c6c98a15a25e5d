//! Passes pyo3's interpreter cfgs (`Py_GIL_DISABLED`, `Py_3_12`, ...) to the crate: the
//! walk in `from_python.rs` borrows references, which is sound only under the GIL.

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
