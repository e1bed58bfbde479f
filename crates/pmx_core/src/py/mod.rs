//! The PyO3 layer: newtypes over the core, numpy conversion and the single
//! error conversion. Built only with the `python` feature (maturin), so the
//! core compiles and tests without Python.

mod arrays;
mod error;
mod items;
mod model;
mod poser;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("PmxError", m.py().get_type::<error::PmxError>())?;
    m.add_function(wrap_pyfunction!(model::load_model, m)?)?;
    m.add_function(wrap_pyfunction!(model::parse_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(model::model_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(model::write_model_json, m)?)?;
    m.add_function(wrap_pyfunction!(poser::head_rotation, m)?)?;
    m.add_class::<model::PyModel>()?;
    m.add_class::<poser::PyPoser>()?;
    m.add_class::<poser::PyPosed>()?;
    items::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
