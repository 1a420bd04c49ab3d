//! The policy for regorus (`policy/vgr.rego`), on its two paths: compiled to RVM bytecode
//! and run on the Rego virtual machine, and evaluated by the interpreter.

use crate::{Outcome, Verdict};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::{Program, RegoVM};
use regorus::{Engine, Value};
use std::sync::Arc;

pub const POLICY: &str = include_str!("../policy/vgr.rego");
const ENTRY: &str = "data.vgr.beslut";

fn engine() -> Result<Engine, String> {
    let mut engine = Engine::new();
    engine
        .add_policy("vgr.rego".to_owned(), POLICY.to_owned())
        .map_err(|e| format!("vgr.rego: {e}"))?;
    Ok(engine)
}

/// The policy compiled to RVM bytecode, with a virtual machine to run it.
pub struct RegoVm {
    vm: RegoVM,
}

impl RegoVm {
    pub fn new() -> Result<RegoVm, String> {
        let policy = engine()?
            .compile_with_entrypoint(&ENTRY.into())
            .map_err(|e| format!("vgr.rego: {e}"))?;
        let program: Arc<Program> = Compiler::compile_from_policy(&policy, &[ENTRY])
            .map_err(|e| format!("vgr.rego to RVM: {e}"))?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        Ok(RegoVm { vm })
    }

    /// Decides an input already converted to regorus's value.
    pub fn decide(&mut self, input: Value) -> Result<Value, String> {
        self.vm.set_input(input);
        self.vm.execute().map_err(|e| format!("regorus RVM: {e}"))
    }

    /// From JSON text: parsed by regorus, then run.
    pub fn decide_text(&mut self, text: &str) -> Result<Value, String> {
        let input = Value::from_json_str(text).map_err(|e| format!("regorus: {e}"))?;
        self.decide(input)
    }

    pub fn verdict(&mut self, text: &str) -> Result<Verdict, String> {
        verdict(&self.decide_text(text)?)
    }
}

/// The policy in regorus's interpreter.
pub struct RegoInterpreter {
    engine: Engine,
}

impl RegoInterpreter {
    pub fn new() -> Result<RegoInterpreter, String> {
        Ok(RegoInterpreter { engine: engine()? })
    }

    /// From JSON text, the interpreter's own way in.
    pub fn decide_text(&mut self, text: &str) -> Result<Value, String> {
        self.engine
            .set_input_json(text)
            .map_err(|e| format!("regorus: {e}"))?;
        self.engine
            .eval_rule(ENTRY.to_owned())
            .map_err(|e| format!("regorus: {e}"))
    }

    pub fn verdict(&mut self, text: &str) -> Result<Verdict, String> {
        verdict(&self.decide_text(text)?)
    }
}

/// `{"utfall": …, "skäl": …}` as a verdict.
pub fn verdict(value: &Value) -> Result<Verdict, String> {
    let field = |key: &str| -> Result<String, String> {
        value[key]
            .as_string()
            .map(|s| s.to_string())
            .map_err(|_| format!("regorus answered {value}"))
    };
    Ok(Verdict {
        outcome: Outcome::from_name(&field("utfall")?)
            .ok_or_else(|| format!("regorus answered {value}"))?,
        reason: field("skäl")?,
    })
}
