//! `animeceleb.PmxError`: a `ValueError` carrying the core error's kind,
//! section, item and byte offset as attributes.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::error::Error;

create_exception!(
    _core,
    PmxError,
    PyValueError,
    "A malformed or unusable model file. Attributes: kind, section, item (int or None), offset (bytes)."
);

pub fn to_py(e: Error) -> PyErr {
    Python::with_gil(|py| {
        let err = PmxError::new_err(e.to_string());
        let value = err.value(py);
        // Setting attributes on a fresh exception instance cannot fail in
        // practice; if it did, the message still carries everything.
        let _ = value.setattr("kind", e.kind.as_str());
        let _ = value.setattr("section", e.section);
        let _ = value.setattr("item", e.item);
        let _ = value.setattr("offset", e.offset);
        err
    })
}
