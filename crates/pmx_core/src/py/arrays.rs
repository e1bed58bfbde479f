//! Vec → numpy without element-wise copies: `Vec<[T; N]>` is flattened in
//! place and handed to numpy, which then owns the buffer. Arrays that mirror
//! the model are made read-only so they cannot drift from it.

use numpy::{Element, PyArray1, PyArrayMethods};
use pyo3::prelude::*;

pub fn matrix<'py, T: Element, const N: usize>(
    py: Python<'py>,
    rows: Vec<[T; N]>,
) -> PyResult<Bound<'py, PyAny>> {
    let n = rows.len();
    let flat: Vec<T> = rows.into_flattened();
    Ok(PyArray1::from_vec(py, flat).reshape([n, N])?.into_any())
}

pub fn vector<'py, T: Element>(py: Python<'py>, v: Vec<T>) -> Bound<'py, PyAny> {
    PyArray1::from_vec(py, v).into_any()
}

pub fn read_only(a: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    a.getattr("flags")?.setattr("writeable", false)?;
    Ok(a)
}
