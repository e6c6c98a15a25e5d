//! Awaitable forms of the calls that can take long. The work runs on rayon's pool (on a
//! thread of its own in a forked child, where the parent's pool has no threads) with the
//! interpreter released, and settles an asyncio future on its event loop's thread.
//! Argument errors raise at the call; errors of the work itself at the `await`.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyCFunction, PyModule, PyString};

use crate::{parallel, to_python};

/// A coroutine named `name` that, once awaited, runs `work` off the event loop and
/// resolves to what `finish` makes of its result. Like an `async def`, nothing starts
/// before the first `await` (so `asyncio.run(toon.convert_async(...))` works), and an
/// error of the work is raised there.
pub(crate) fn spawn<'py, T, W, F>(
    py: Python<'py>,
    name: &str,
    work: W,
    finish: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    W: FnOnce() -> T + Send + 'static,
    F: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let job = Mutex::new(Some((work, finish)));
    let start = PyCFunction::new_closure(py, None, None, move |args, _| {
        let job = job.lock().ok().and_then(|mut job| job.take());
        let (work, finish) = job.ok_or_else(|| PyRuntimeError::new_err("already started"))?;
        start(args.py(), work, finish).map(Bound::unbind)
    })?;
    coroutine(name, start)
}

/// Creates the future on the running loop and hands the work to the pool.
fn start<'py, T, W, F>(py: Python<'py>, work: W, finish: F) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    W: FnOnce() -> T + Send + 'static,
    F: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let future = event_loop.call_method0("create_future")?;
    // Work still queued when its future is cancelled (a client gone, a timeout) is skipped.
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancelled);
    let on_done = PyCFunction::new_closure(py, None, None, move |args, _| -> PyResult<()> {
        if args.get_item(0)?.call_method0("cancelled")?.is_truthy()? {
            flag.store(true, Ordering::Relaxed);
        }
        Ok(())
    })?;
    future.call_method1("add_done_callback", (on_done,))?;
    let job = Job {
        event_loop: event_loop.unbind(),
        future: future.clone().unbind(),
        cancelled,
    };
    let run = move || job.run(work, finish);
    if parallel::allowed() {
        rayon::spawn(run);
    } else {
        std::thread::spawn(run);
    }
    Ok(future)
}

/// A coroutine awaiting what `start()` returns, named `name` (for the never-awaited
/// warning and reprs). `asyncio.create_task` and `TaskGroup.create_task` take coroutines
/// only, and a real one behaves as asyncio users expect in every other way too.
fn coroutine<'py>(name: &str, start: Bound<'py, PyCFunction>) -> PyResult<Bound<'py, PyAny>> {
    static OFFLOADED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = start.py();
    let offloaded = OFFLOADED.get_or_try_init(py, || {
        let module = PyModule::from_code(
            py,
            c"async def offloaded(start):\n    return await start()\n",
            c"toon/_aio.py",
            c"toon._aio",
        )?;
        module.getattr("offloaded").map(Bound::unbind)
    })?;
    let coroutine = offloaded.bind(py).call1((start,))?;
    coroutine.setattr("__name__", name)?;
    coroutine.setattr("__qualname__", name)?;
    Ok(coroutine)
}

/// The worker's side of one awaitable call.
struct Job {
    event_loop: Py<PyAny>,
    future: Py<PyAny>,
    cancelled: Arc<AtomicBool>,
}

impl Job {
    fn run<T, W, F>(self, work: W, finish: F)
    where
        W: FnOnce() -> T,
        F: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>>,
    {
        if self.cancelled.load(Ordering::Relaxed) {
            return;
        }
        // A panic must not unwind into rayon (which would abort): it becomes the
        // `PanicException` the synchronous form raises.
        let output = catch_unwind(AssertUnwindSafe(work));
        // `None` while the interpreter shuts down: nobody is waiting any more.
        Python::try_attach(|py| {
            let result = output.map_err(panic_error).and_then(|output| {
                catch_unwind(AssertUnwindSafe(|| finish(py, output)))
                    .unwrap_or_else(|panic| Err(panic_error(panic)))
            });
            self.settle(py, result);
        });
    }

    /// Sets the future's result or exception on its loop's thread (futures are not
    /// thread-safe), unless it is done already (cancelled).
    fn settle(self, py: Python<'_>, result: PyResult<Py<PyAny>>) {
        let future = self.future;
        let result = Mutex::new(Some(result));
        let settle = PyCFunction::new_closure(py, None, None, move |args, _| -> PyResult<()> {
            let py = args.py();
            let Some(result) = result.lock().ok().and_then(|mut r| r.take()) else {
                return Ok(());
            };
            let future = future.bind(py);
            if future.call_method0("done")?.is_truthy()? {
                return Ok(());
            }
            match result {
                Ok(value) => future.call_method1("set_result", (value,))?,
                Err(err) => future.call_method1("set_exception", (err.into_value(py),))?,
            };
            Ok(())
        });
        // A closed loop ("Event loop is closed") has nobody left to tell.
        let _ = settle.and_then(|settle| {
            self.event_loop
                .bind(py)
                .call_method1("call_soon_threadsafe", (settle,))
        });
    }
}

fn panic_error(payload: Box<dyn Any + Send>) -> PyErr {
    let message = if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "panic from Rust code".to_owned()
    };
    PanicException::new_err((message,))
}

/// `encode` off the event loop, on the pool. The walk reads Python objects, so it holds
/// the interpreter there: with the GIL the loop's thread waits for it about as long as a
/// synchronous `encode` would take (a free-threaded build runs on). Copying the objects
/// into an owned value on the loop's thread first and writing the text on the pool
/// measured worse: the copy alone took 1.6 times the whole synchronous encode
/// (docs/python.md, "Async forms").
#[pyfunction]
#[pyo3(signature = (obj, *, delimiter = ",", indent = 2, default = None))]
pub(crate) fn encode_async<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    delimiter: &str,
    indent: usize,
    default: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = crate::encode_options(delimiter, indent)?;
    let obj = obj.clone().unbind();
    let default = default.map(Bound::unbind);
    spawn(
        py,
        "encode_async",
        || (),
        move |py, ()| {
            let default = default.as_ref().map(|d| d.bind(py).clone());
            let text = crate::encode_text(py, obj.bind(py), &options, default.as_ref())?;
            Ok(PyString::new(py, &text).into_any().unbind())
        },
    )
}

/// `decode` off the event loop: the parse runs on the pool; the Python objects are built
/// there too, with the interpreter attached.
#[pyfunction]
#[pyo3(signature = (text, *, strict = true, indent = 2))]
pub(crate) fn decode_async<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    strict: bool,
    indent: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let options = crate::decode_options(strict, indent)?;
    fn finish(py: Python<'_>, decoded: toon::Result<toon::Value<'_>>) -> PyResult<Py<PyAny>> {
        match decoded {
            Ok(value) => to_python::build(py, &value).map(Bound::unbind),
            Err(e) => Err(crate::decode_error(py, &e)),
        }
    }
    // The text is borrowed from the Python object, not copied. The value borrows from
    // it in turn, so the parse runs inside `finish`, detached again.
    if text.is_instance_of::<PyString>() {
        let text: PyBackedStr = text.extract()?;
        spawn(
            py,
            "decode_async",
            || (),
            move |py, ()| finish(py, py.detach(|| toon::decode(&text, &options))),
        )
    } else if text.is_instance_of::<PyBytes>() {
        let bytes: PyBackedBytes = text.extract()?;
        spawn(
            py,
            "decode_async",
            || (),
            move |py, ()| finish(py, py.detach(|| toon::decode_slice(&bytes, &options))),
        )
    } else {
        Err(PyTypeError::new_err(format!(
            "decode_async() expects str or bytes, not {}",
            text.get_type().name()?
        )))
    }
}
