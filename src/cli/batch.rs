//! The batch protocol of `regel decide`: one request per line in, one answer per line out,
//! in the same order, whatever a line holds. A line that is not a request (blank, not
//! UTF-8, not JSON, over the size limit) gets its own `fel` with its line number, so the
//! n-th answer always belongs to the n-th line. Answers are written as soon as the input
//! has no more lines ready (a client that writes one request and waits gets its answer),
//! and buffered otherwise. With several jobs, lines are decided in chunks in parallel and
//! written in order; memory stays bounded whatever the number of requests.

use super::lines::{Line, Lines};
use crate::render::explain::response;
use crate::table::{Decision, Evaluator, RequestError, Scratch};
use std::io::{self, Read, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// The largest request, in bytes, on a line or as a whole document: more is never read into
/// memory.
pub const MAX_REQUEST_BYTES: usize = 1 << 20;

/// How much input is read at a time.
const READ_BUFFER: usize = 1 << 16;

/// A chunk for the workers is sent at most this many lines at a time.
const CHUNK_LINES: usize = 4096;

/// How a batch ended.
pub enum Ended {
    /// Every line answered; whether any was refused.
    Done { refused: bool },
    /// The input could not be read (the answers before were written).
    Input(io::Error),
    /// The answers could not be written.
    Output(io::Error),
}

/// Answers lines of requests: the rendering of each decision is kept per row, so a request
/// that decides like an earlier one costs no rendering.
pub struct Answerer<'e> {
    evaluator: &'e Evaluator,
    explain: bool,
    /// Per row of the table, the last decision rendered there and its line.
    rendered: Vec<Option<(Decision<'e>, Vec<u8>, bool)>>,
    /// Memory for each request's values, kept from one line to the next.
    scratch: Scratch,
    pub refused: bool,
}

impl<'e> Answerer<'e> {
    pub fn new(evaluator: &'e Evaluator, explain: bool) -> Answerer<'e> {
        Answerer {
            evaluator,
            explain,
            rendered: vec![None; evaluator.table().rows.len()],
            scratch: Scratch::default(),
            refused: false,
        }
    }

    /// Writes the answer to line number `n` (from 1).
    pub fn answer(&mut self, n: usize, line: Line<'_>, out: &mut impl Write) -> io::Result<()> {
        let bytes = match line {
            Line::TooLong => {
                return self.fel(
                    n,
                    &format!("begäran är längre än {MAX_REQUEST_BYTES} byte"),
                    out,
                );
            }
            Line::Text(bytes) => bytes,
        };
        // The bytes are read as a request straight away: a line that is not UTF-8 is never
        // decided (the reader proves a request UTF-8 as it reads it), and what is wrong with
        // a line that is refused is said in the same order as ever: not UTF-8, then blank,
        // then what the request's reader says.
        match self.evaluator.decide_bytes_with(&mut self.scratch, bytes) {
            Ok(decision) => self.decided(decision, out),
            Err(RequestError::NotUtf8) => self.fel(n, "raden är inte giltig UTF-8-text", out),
            Err(_) if std::str::from_utf8(bytes).is_ok_and(|text| text.trim().is_empty()) => {
                self.fel(
                    n,
                    "tom rad: skriv en begäran (ett JSON-objekt) per rad",
                    out,
                )
            }
            Err(RequestError::Syntax(e)) => self.fel(
                n,
                &format!(
                    "ogiltig JSON: {e} (en begäran per rad; en begäran över flera rader läses med --request FIL eller --request -)"
                ),
                out,
            ),
            Err(e) => self.fel(n, &e.to_string(), out),
        }
    }

    fn decided(&mut self, decision: Decision<'e>, out: &mut impl Write) -> io::Result<()> {
        let Some(slot) = self.rendered.get_mut(decision.row) else {
            unreachable!("INVARIANT: a decision's row is a row of the evaluator's table")
        };
        match slot {
            // INVARIANT: `response` renders a decision alone, so an equal decision renders
            // the same.
            Some((d, line, refused)) if same(d, &decision) => {
                self.refused |= *refused;
                out.write_all(line)
            }
            _ => {
                let json = response(self.evaluator, Ok(decision), self.explain);
                let refused = json.get("fel").is_some();
                let mut line = json.to_string().into_bytes();
                line.push(b'\n');
                out.write_all(&line)?;
                self.refused |= refused;
                *slot = Some((decision, line, refused));
                Ok(())
            }
        }
    }

    fn fel(&mut self, n: usize, message: &str, out: &mut impl Write) -> io::Result<()> {
        self.refused = true;
        let json = serde_json::json!({ "fel": format!("rad {n}: {message}") });
        writeln!(out, "{json}")
    }
}

/// Whether two decisions of one evaluator are the same, cheaply: the texts and the rule
/// are compared by address (they point into the evaluator's table), which can only say
/// "not the same" of equal ones — then the answer is rendered again, never wrongly reused.
/// Every field takes part, by name: a field added to decisions later does not compile
/// here until it is compared too, so it cannot be served from another request's line.
fn same(a: &Decision<'_>, b: &Decision<'_>) -> bool {
    let Decision {
        outcome,
        reason,
        row,
        rule,
        shown_from,
    } = *a;
    std::ptr::eq(outcome, b.outcome)
        && match (reason, b.reason) {
            (None, None) => true,
            (Some(x), Some(y)) => std::ptr::eq(x, y),
            _ => false,
        }
        && row == b.row
        && match (rule, b.rule) {
            (None, None) => true,
            (Some(x), Some(y)) => std::ptr::eq(x, y),
            _ => false,
        }
        && shown_from == b.shown_from
}

/// Decides every line of `input` and writes the answers to `out`, in `jobs` threads.
pub fn run(
    evaluator: &Evaluator,
    input: impl Read,
    out: impl Write + Send,
    explain: bool,
    jobs: usize,
) -> Ended {
    if jobs <= 1 {
        sequential(evaluator, input, out, explain)
    } else {
        parallel(evaluator, input, out, explain, jobs)
    }
}

fn sequential(evaluator: &Evaluator, input: impl Read, out: impl Write, explain: bool) -> Ended {
    let mut answerer = Answerer::new(evaluator, explain);
    let mut out = io::BufWriter::with_capacity(READ_BUFFER, out);
    let mut lines = Lines::new(input, READ_BUFFER, MAX_REQUEST_BYTES);
    let mut n = 0;
    // Before waiting for input, the answers so far go out.
    let mut output_failed = None;
    loop {
        let mut flush = || {
            out.flush().map_err(|e| {
                let kind = e.kind();
                output_failed = Some(e);
                io::Error::from(kind)
            })
        };
        let line = lines.next_line(&mut flush);
        if let Some(e) = output_failed {
            return Ended::Output(e);
        }
        match line {
            Ok(Some(line)) => {
                n += 1;
                if let Err(e) = answerer.answer(n, line, &mut out) {
                    return Ended::Output(e);
                }
            }
            Ok(None) => break,
            Err(e) => {
                return match out.flush() {
                    Ok(()) => Ended::Input(e),
                    Err(e) => Ended::Output(e),
                };
            }
        }
    }
    match out.flush() {
        Ok(()) => Ended::Done {
            refused: answerer.refused,
        },
        Err(e) => Ended::Output(e),
    }
}

/// Lines for the workers: their bytes one after another, each line's end (or `None` for a
/// line over the limit), and whether the answers should go out at once.
struct Chunk {
    seq: usize,
    first_line: usize,
    bytes: Vec<u8>,
    ends: Vec<Option<usize>>,
    flush: bool,
}

/// A chunk answered.
struct Answered {
    seq: usize,
    out: Vec<u8>,
    refused: bool,
    flush: bool,
}

fn parallel(
    evaluator: &Evaluator,
    input: impl Read,
    out: impl Write + Send,
    explain: bool,
    jobs: usize,
) -> Ended {
    // Chunks in flight, from read to written: the bound on memory.
    let in_flight = 4 * jobs;
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Chunk>(jobs);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (answer_tx, answer_rx) = mpsc::channel::<Answered>();
    let (credit_tx, credit_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // INVARIANT: the channel holds exactly `in_flight` credits.
        let _ = credit_tx.try_send(());
    }
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let chunk_rx = Arc::clone(&chunk_rx);
            let answer_tx = answer_tx.clone();
            scope.spawn(move || work(evaluator, explain, &chunk_rx, &answer_tx));
        }
        drop(answer_tx);
        let writer = scope.spawn(move || write_in_order(out, &answer_rx, &credit_tx));
        let read = read_chunks(input, &chunk_tx, &credit_rx);
        drop(chunk_tx);
        let written = writer.join();
        match (read, written) {
            (_, Ok(Err(e))) => Ended::Output(e),
            (_, Err(_)) => Ended::Output(io::Error::other("svaren kunde inte skrivas")),
            (Err(e), Ok(Ok(_))) => Ended::Input(e),
            (Ok(()), Ok(Ok(refused))) => Ended::Done { refused },
        }
    })
}

/// Reads lines into chunks and sends them, each when it is full or when the input has no
/// more lines ready. Stops early when the writer has stopped.
fn read_chunks(
    input: impl Read,
    chunks: &mpsc::SyncSender<Chunk>,
    credits: &mpsc::Receiver<()>,
) -> io::Result<()> {
    let mut lines = Lines::new(input, READ_BUFFER, MAX_REQUEST_BYTES);
    let mut chunk = new_chunk(0, 1);
    let mut stopped = false;
    let send = |chunk: &mut Chunk, flush: bool, stopped: &mut bool| -> bool {
        if chunk.ends.is_empty() || *stopped {
            return !*stopped;
        }
        chunk.flush = flush;
        let (next_seq, first) = (chunk.seq + 1, chunk.first_line + chunk.ends.len());
        let full = std::mem::replace(chunk, new_chunk(next_seq, first));
        *stopped = credits.recv().is_err() || chunks.send(full).is_err();
        !*stopped
    };
    loop {
        let mut before_read = || {
            send(&mut chunk, true, &mut stopped);
            Ok(())
        };
        let line = lines.next_line(&mut before_read)?;
        if stopped {
            return Ok(());
        }
        match line {
            None => break,
            Some(Line::Text(bytes)) => {
                chunk.bytes.extend_from_slice(bytes);
                chunk.ends.push(Some(chunk.bytes.len()));
            }
            Some(Line::TooLong) => chunk.ends.push(None),
        }
        if (chunk.ends.len() >= CHUNK_LINES || chunk.bytes.len() >= READ_BUFFER)
            && !send(&mut chunk, false, &mut stopped)
        {
            return Ok(());
        }
    }
    send(&mut chunk, true, &mut stopped);
    Ok(())
}

fn new_chunk(seq: usize, first_line: usize) -> Chunk {
    Chunk {
        seq,
        first_line,
        bytes: Vec::new(),
        ends: Vec::new(),
        flush: false,
    }
}

/// A worker: answers chunks until there are no more.
fn work(
    evaluator: &Evaluator,
    explain: bool,
    chunks: &Mutex<mpsc::Receiver<Chunk>>,
    answers: &mpsc::Sender<Answered>,
) {
    let mut answerer = Answerer::new(evaluator, explain);
    loop {
        let next = match chunks.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else { return };
        answerer.refused = false;
        let mut out = Vec::with_capacity(chunk.bytes.len());
        let mut start = 0;
        for (i, end) in chunk.ends.iter().enumerate() {
            let line = match end {
                Some(end) => {
                    let text = chunk.bytes.get(start..*end).unwrap_or_default();
                    start = *end;
                    Line::Text(text)
                }
                None => Line::TooLong,
            };
            if answerer
                .answer(chunk.first_line + i, line, &mut out)
                .is_err()
            {
                unreachable!("INVARIANT: writing to a Vec cannot fail");
            }
        }
        let answered = Answered {
            seq: chunk.seq,
            out,
            refused: answerer.refused,
            flush: chunk.flush,
        };
        if answers.send(answered).is_err() {
            return;
        }
    }
}

/// Writes answered chunks in the order they were read, giving back a credit for each;
/// whether any request was refused, or `Err` when the output failed.
fn write_in_order(
    out: impl Write,
    answers: &mpsc::Receiver<Answered>,
    credits: &mpsc::SyncSender<()>,
) -> io::Result<bool> {
    let mut out = io::BufWriter::with_capacity(READ_BUFFER, out);
    let mut waiting: std::collections::BTreeMap<usize, Answered> = Default::default();
    let mut next = 0;
    let mut refused = false;
    for answered in answers {
        waiting.insert(answered.seq, answered);
        while let Some(a) = waiting.remove(&next) {
            out.write_all(&a.out)?;
            if a.flush {
                out.flush()?;
            }
            refused |= a.refused;
            next += 1;
            // The reader may be gone (it stopped at a read error): nothing to give back to.
            let _ = credits.send(());
        }
    }
    out.flush()?;
    Ok(refused)
}
