//! Writing for models: `encode_auto` (the cheapest format), `fit_to_budget` (TOON within
//! a token budget) and `Template` (output templates and checks from a JSON Schema or a
//! pydantic model). Type mapping only: every decision is `toon_prompt`'s.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use toon::EncodeOptions;
use toon_prompt::{CheapestOptions, Counting, PromptError, PromptFormat};
use toon_tokens::{LimitedCount, TokenCounter};

use crate::from_python::Walk;
use crate::tokens::encoding;

pyo3::create_exception!(
    _toon,
    ToonBudgetError,
    PyValueError,
    "Even the skeleton of the value (every array cut to no rows) does not fit the token budget; has `skeleton_tokens` and `max_tokens`."
);

/// A Python object as a `toon::Value`, with the same type errors `toon.encode` raises.
fn to_value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<toon::Value<'static>> {
    let walk = Walk::new(py, None);
    toon::to_value(&walk.value(obj)).map_err(|error| walk.error(|| crate::encode_error(&error)))
}

fn prompt_error(py: Python<'_>, error: PromptError) -> PyErr {
    match error {
        PromptError::SkeletonTooLarge {
            skeleton_tokens,
            max_tokens,
        } => {
            let err = ToonBudgetError::new_err(error.to_string());
            let value = err.value(py);
            let _ = value.setattr("skeleton_tokens", skeleton_tokens);
            let _ = value.setattr("max_tokens", max_tokens);
            err
        }
        PromptError::Encode(error) => crate::encode_error(&error),
        other => PyValueError::new_err(other.to_string()),
    }
}

/// One format compared by `encode_auto`: its name, its tokens, and whether the count is
/// exact (`False`: counting stopped once it passed the best, `tokens` is a lower bound).
#[pyclass(frozen, get_all, module = "toon", name = "Candidate")]
pub(crate) struct PyCandidate {
    format: &'static str,
    tokens: usize,
    exact: bool,
}

#[pymethods]
impl PyCandidate {
    fn __repr__(&self) -> String {
        let sign = if self.exact { "" } else { ">" };
        format!("Candidate({}, {sign}{})", self.format, self.tokens)
    }
}

/// The cheapest format of a value: `format`, `text`, `tokens`, and `candidates` (every
/// format compared). `str()` is the CLI's report line.
#[pyclass(frozen, get_all, module = "toon", name = "Choice")]
pub(crate) struct PyChoice {
    format: &'static str,
    text: String,
    tokens: usize,
    candidates: Vec<Py<PyCandidate>>,
    line: String,
}

#[pymethods]
impl PyChoice {
    fn __str__(&self) -> String {
        self.line.clone()
    }

    fn __repr__(&self) -> String {
        format!("Choice({})", self.line)
    }
}

fn choice(py: Python<'_>, cheapest: toon_prompt::Cheapest) -> PyResult<PyChoice> {
    let candidates = cheapest
        .candidates
        .iter()
        .map(|candidate| {
            let (tokens, exact) = match candidate.tokens {
                LimitedCount::Exact(count) => (count, true),
                LimitedCount::MoreThan(count) => (count, false),
            };
            Py::new(
                py,
                PyCandidate {
                    format: candidate.format.name(),
                    tokens,
                    exact,
                },
            )
        })
        .collect::<PyResult<_>>()?;
    Ok(PyChoice {
        format: cheapest.format.name(),
        line: cheapest.to_string(),
        text: cheapest.text,
        tokens: cheapest.tokens,
        candidates,
    })
}

fn cheapest_options(
    indent: usize,
    formats: Option<Vec<String>>,
    exact: bool,
) -> PyResult<CheapestOptions> {
    if indent == 0 {
        return Err(PyValueError::new_err("indent must be at least 1"));
    }
    let formats = match formats {
        Some(names) => names
            .iter()
            .map(|name| name.parse::<PromptFormat>().map_err(PyValueError::new_err))
            .collect::<PyResult<Vec<_>>>()?,
        None => PromptFormat::ALL.to_vec(),
    };
    Ok(CheapestOptions {
        formats,
        indent,
        counting: if exact {
            Counting::Exact
        } else {
            Counting::StopWhenDearer
        },
    })
}

/// The cheapest of TOON (comma, tab, pipe) and compact JSON for `obj`, by exact token
/// count in `encoding` (an encoding or model name).
#[pyfunction]
#[pyo3(signature = (obj, *, encoding = "o200k_base", indent = 2, formats = None, exact = false))]
pub(crate) fn encode_auto(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    encoding: &str,
    indent: usize,
    formats: Option<Vec<String>>,
    exact: bool,
) -> PyResult<PyChoice> {
    let options = cheapest_options(indent, formats, exact)?;
    let counter = TokenCounter::shared(self::encoding(encoding)?);
    let value = to_value(py, obj)?;
    let cheapest = py
        .detach(|| toon_prompt::cheapest(&value, counter, &options))
        .map_err(|error| prompt_error(py, error))?;
    choice(py, cheapest)
}

/// `encode_auto` for each named section of a prompt (`{name: value}`), chosen on its
/// own: a dict of name → `Choice`, in the sections' order.
#[pyfunction]
#[pyo3(signature = (sections, *, encoding = "o200k_base", indent = 2, formats = None, exact = false))]
pub(crate) fn encode_sections<'py>(
    py: Python<'py>,
    sections: &Bound<'py, PyDict>,
    encoding: &str,
    indent: usize,
    formats: Option<Vec<String>>,
    exact: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = cheapest_options(indent, formats, exact)?;
    let counter = TokenCounter::shared(self::encoding(encoding)?);
    let mut named = Vec::with_capacity(sections.len());
    for (name, obj) in sections.iter() {
        named.push((name.extract::<String>()?, to_value(py, &obj)?));
    }
    let chosen = py
        .detach(|| {
            toon_prompt::cheapest_sections(
                named.iter().map(|(name, value)| (name.as_str(), value)),
                counter,
                &options,
            )
        })
        .map_err(|error| prompt_error(py, error))?;
    let out = PyDict::new(py);
    for section in chosen {
        out.set_item(section.name, choice(py, section.choice)?)?;
    }
    Ok(out)
}

/// An array that lost rows to the budget: `path`, `rows` (how many it has), `kept`.
#[pyclass(frozen, get_all, module = "toon", name = "Cut")]
pub(crate) struct PyCut {
    path: String,
    rows: usize,
    kept: usize,
    line: String,
}

#[pymethods]
impl PyCut {
    fn __str__(&self) -> String {
        self.line.clone()
    }

    fn __repr__(&self) -> String {
        format!("Cut({})", self.line)
    }
}

/// TOON within a token budget: `text`, `tokens` (exact, at most the budget) and `cuts`.
#[pyclass(frozen, get_all, module = "toon", name = "Fitted")]
pub(crate) struct PyFitted {
    text: String,
    tokens: usize,
    cuts: Vec<Py<PyCut>>,
}

/// The TOON of `obj` in at most `max_tokens` tokens of `encoding`: the longest arrays
/// keep their first rows, fairly; raises `ToonBudgetError` when even the skeleton does
/// not fit.
#[pyfunction]
#[pyo3(signature = (obj, max_tokens, *, encoding = "o200k_base", delimiter = ",", indent = 2))]
pub(crate) fn fit_to_budget(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    max_tokens: usize,
    encoding: &str,
    delimiter: &str,
    indent: usize,
) -> PyResult<PyFitted> {
    if indent == 0 {
        return Err(PyValueError::new_err("indent must be at least 1"));
    }
    let options = EncodeOptions::new()
        .with_indent(indent)
        .with_delimiter(crate::delimiter(delimiter)?);
    let counter = TokenCounter::shared(self::encoding(encoding)?);
    let value = to_value(py, obj)?;
    let fitted = py
        .detach(|| toon_prompt::fit_to_budget(&value, max_tokens, counter, &options))
        .map_err(|error| prompt_error(py, error))?;
    let cuts = fitted
        .cuts
        .iter()
        .map(|cut| {
            Py::new(
                py,
                PyCut {
                    path: cut.path.clone(),
                    rows: cut.rows,
                    kept: cut.kept,
                    line: cut.to_string(),
                },
            )
        })
        .collect::<PyResult<_>>()?;
    Ok(PyFitted {
        text: fitted.text,
        tokens: fitted.tokens,
        cuts,
    })
}

/// A reply value that does not match the schema: `path` and `message`; `str()` is
/// `path: message`.
#[pyclass(frozen, get_all, module = "toon", name = "Violation")]
pub(crate) struct PyViolation {
    path: String,
    message: String,
    line: String,
}

#[pymethods]
impl PyViolation {
    fn __str__(&self) -> String {
        self.line.clone()
    }

    fn __repr__(&self) -> String {
        format!("Violation({:?})", self.line)
    }
}

/// An output template from a JSON Schema (a dict) or a pydantic model class (its
/// `model_json_schema()`): `skeleton`, `instructions`, `prompt`, and `check(value)`.
#[pyclass(frozen, module = "toon", name = "Template")]
pub(crate) struct PyTemplate(toon_prompt::Template);

#[pymethods]
impl PyTemplate {
    #[new]
    #[pyo3(signature = (schema, *, delimiter = ",", indent = 2))]
    fn new(
        py: Python<'_>,
        schema: &Bound<'_, PyAny>,
        delimiter: &str,
        indent: usize,
    ) -> PyResult<Self> {
        let schema = if schema.hasattr("model_json_schema")? {
            schema.call_method0("model_json_schema")?
        } else {
            schema.clone()
        };
        let json = serde_json::Value::from(to_value(py, &schema)?);
        let template = toon_prompt::Template::new(json)
            .map_err(|error| PyValueError::new_err(error.to_string()))?
            .with_delimiter(crate::delimiter(delimiter)?)
            .with_indent(indent);
        Ok(PyTemplate(template))
    }

    /// The TOON skeleton a model should fill.
    #[getter]
    fn skeleton(&self) -> String {
        self.0.skeleton()
    }

    /// The instruction text that goes with the skeleton.
    #[getter]
    fn instructions(&self) -> String {
        self.0.instructions()
    }

    /// The instructions and the skeleton in a ```toon fence.
    #[getter]
    fn prompt(&self) -> String {
        self.0.prompt()
    }

    /// What the decoded reply `value` gets wrong against the schema (empty when none).
    fn check(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Vec<PyViolation>> {
        let value = to_value(py, value)?;
        Ok(self
            .0
            .check(&value)
            .into_iter()
            .map(|violation| PyViolation {
                line: violation.to_string(),
                path: violation.path,
                message: violation.message,
            })
            .collect())
    }
}
