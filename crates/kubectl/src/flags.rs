//! kubectl's command line, parsed the way cobra and pflag parse it, with their exact messages.
//!
//! kubectl v1.32 is a cobra command tree whose flags are pflag flag sets. Everything this module
//! reports happens in that layer, before kubectl contacts a server, so the real binary answers
//! the same errors offline — the tests compare with it byte for byte. The model, step by step
//! (each step cites the upstream behaviour it reproduces):
//!
//! 1. **kubectl's plugin pre-check** (`cmd.go`, `NewDefaultKubectlCommandWithArgs`): when the
//!    command line names no known command, kubectl looks for a `kubectl-<name>` plugin first.
//!    There are no plugins in the simulator, so the only visible effect is its error when the
//!    first argument is a flag: `Error: flags cannot be placed before plugin name: --foo`.
//! 2. **cobra `Find`**: walks the tree by the non-flag arguments (`stripFlags`, which skips the
//!    value after a flag that needs one), matching names and aliases exactly. If the walk stays
//!    at the root with arguments left, cobra's `legacyArgs` fails with
//!    `unknown command "x" for "kubectl"` plus "Did you mean this?" suggestions
//!    (`SuggestionsFor`: Levenshtein distance ≤ 2 ignoring case, or a prefix, in the order the
//!    commands were added, hidden ones excepted).
//! 3. **pflag `Parse`** of the found command's flag set (its own flags, the persistent flags of
//!    its ancestors — kubectl's global options — and cobra's `-h/--help`): `--flag=value`,
//!    `--flag value`, `-o yaml`, `-oyaml`, `-o=yaml`, combined shorthand bools (`-it`), a bare
//!    boolean or a flag with a "no-option default" (`--dry-run` means `--dry-run=unchanged`),
//!    `--` ending the flags, flags and arguments interspersed, `_` in flag names normalised to
//!    `-` (kubectl's `WordSepNormalizeFunc`). Values are checked as pflag's `Set` does (Go's
//!    `strconv.ParseBool`, `ParseInt` base 0, `time.ParseDuration`, `encoding/csv` for string
//!    slices) and errors read `invalid argument "abc" for "--replicas" flag: strconv.ParseInt:
//!    parsing "abc": invalid syntax`. kubectl's flag error function appends
//!    `See 'kubectl get --help' for usage.`; `component-base/cli` prints `Error: …`, exit 1.
//! 4. **cobra `execute`**: `--help` wins after a successful parse; a command that cannot run
//!    prints its help; kubectl's `DefaultSubCommandRun` groups (`rollout`, `set`, `config`…)
//!    reject unknown subcommands with `error: unknown command "foo"` and print their help with
//!    exit 1 when called bare.
//!
//! Whatever a command checks about its own arguments later (`kubectl get` without a type, a
//! missing required flag, which cobra reports through klog) is the command's business: see
//! [`Invocation::missing_required`] and [`command_failed_line`].

use crate::output::{Output, Stream};
use kubelab_engine::sort::CompactSort;

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------

/// The pflag value type of a flag: how its values are checked and read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `bool`: `strconv.ParseBool`; a bare `--flag` means `true`.
    Bool,
    /// `string`: any text.
    String,
    /// `int`/`int64`: `strconv.ParseInt(s, 0, 64)` (so `0x10`, `0o17`, `1_000` are accepted).
    Int,
    /// `int32`: `strconv.ParseInt(s, 0, 32)`.
    Int32,
    /// `time.Duration`: `time.ParseDuration` (`30s`, `1m30s`, `1.5h`, a bare `0`).
    Duration,
    /// `[]string` (`StringSlice`): each value is split as one CSV record; repeatable, and the
    /// first use replaces the default.
    StringSlice,
    /// `[]string` (`StringArray`): each value is kept whole; repeatable.
    StringArray,
    /// klog's `-v` level (a Go `flag.Value`): `strconv.ParseInt(s, 10, 32)`.
    Level,
    /// klog's `--vmodule`: a comma-separated list of `pattern=N`.
    VModule,
    /// A Go standard-library `flag.Duration` (`--log-flush-frequency`): any parse failure reads
    /// `parse error`.
    GoDuration,
    /// pflag's `StringToString` (`kubectl debug --env`): `k=v` pairs, CSV-split when the value
    /// holds several `=`.
    StringToString,
    /// component-base's `MapStringString` (`create clusterrole --aggregation-rule`): comma-split
    /// `k=v` pairs.
    MapStringString,
}

/// How a command reports flag errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagErrors {
    /// kubectl's default: `Error: <msg>` and `See 'kubectl get --help' for usage.`, exit 1.
    Cobra,
    /// `kubectl diff`, whose exit code 1 means "differences found": a usage error,
    /// `error: <msg>` and `See 'kubectl diff -h' for help and examples`, exit 2.
    Diff,
    /// `kubectl options` (`templates.UseOptionsTemplates`): `Error: <msg>` and
    /// `Run 'kubectl options' without flags.`, exit 1.
    Options,
}

/// One flag of one command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    /// The long name, without `--`.
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// pflag's `DefValue`, as `--help` prints it (unquoted; string slices as `[a,b]`).
    pub default: &'static str,
    /// pflag's `NoOptDefVal`: the value a bare `--flag` takes (`true` for every bool,
    /// `unchanged` for `--dry-run`, `strict` for `--validate`, `background` for `--cascade`).
    pub no_opt: Option<&'static str>,
    /// Deprecation message: using the flag prints `Flag --x has been deprecated, <message>`.
    pub deprecated: Option<&'static str>,
    /// Not shown in help (deprecated flags are hidden too).
    pub hidden: bool,
    /// cobra's `MarkFlagRequired`: checked after the command's pre-run hooks, see
    /// [`Invocation::missing_required`].
    pub required: bool,
}

impl FlagSpec {
    /// A flag; bools get the no-option default `true`.
    pub const fn new(long: &'static str, kind: FlagKind, default: &'static str) -> Self {
        let no_opt = if matches!(kind, FlagKind::Bool) {
            Some("true")
        } else {
            None
        };
        Self {
            long,
            short: None,
            kind,
            default,
            no_opt,
            deprecated: None,
            hidden: false,
            required: false,
        }
    }

    pub const fn short(mut self, c: char) -> Self {
        self.short = Some(c);
        self
    }

    pub const fn no_opt(mut self, value: &'static str) -> Self {
        self.no_opt = Some(value);
        self
    }

    pub const fn deprecated(mut self, message: &'static str) -> Self {
        self.deprecated = Some(message);
        self.hidden = true;
        self
    }

    pub const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

const fn b(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::Bool, default)
}
const fn s(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::String, default)
}
const fn i(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::Int, default)
}
const fn i32f(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::Int32, default)
}
const fn d(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::Duration, default)
}
const fn sl(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::StringSlice, default)
}
const fn sa(long: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec::new(long, FlagKind::StringArray, default)
}

/// What cobra does once it has found a command and parsed its flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    /// A runnable command: the caller implements it.
    Run,
    /// kubectl's `cmdutil.DefaultSubCommandRun` (groups such as `rollout`, `set`, `config`):
    /// arguments fail with `error: unknown command "<args joined>"` and
    /// `See 'kubectl <path> -h' for help and examples`; none print the help on the given stream
    /// and exit 1.
    SubcommandRun(Stream),
    /// No `Run` at all (cobra's `Runnable()` is false): the help is printed, exit 0, whatever the
    /// arguments.
    NotRunnable,
}

/// One command of the tree.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Flags of this command only (cobra's local flags).
    pub flags: &'static [FlagSpec],
    /// Flags this command passes down to its subcommands (cobra's persistent flags); the root's
    /// are kubectl's global options.
    pub persistent: &'static [FlagSpec],
    /// In the order kubectl adds them (the order of "Did you mean this?").
    pub subcommands: &'static [CommandSpec],
    pub run: RunKind,
    /// Left out of suggestions (cobra: hidden, or not "available" like the help command).
    pub hidden: bool,
    pub flag_errors: FlagErrors,
}

impl CommandSpec {
    const fn new(name: &'static str, flags: &'static [FlagSpec]) -> Self {
        Self {
            name,
            aliases: &[],
            flags,
            persistent: &[],
            subcommands: &[],
            run: RunKind::Run,
            hidden: false,
            flag_errors: FlagErrors::Cobra,
        }
    }

    const fn flag_errors(mut self, style: FlagErrors) -> Self {
        self.flag_errors = style;
        self
    }

    const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }

    const fn subs(mut self, subcommands: &'static [CommandSpec]) -> Self {
        self.subcommands = subcommands;
        self
    }

    const fn run(mut self, run: RunKind) -> Self {
        self.run = run;
        self
    }

    const fn persistent(mut self, flags: &'static [FlagSpec]) -> Self {
        self.persistent = flags;
        self
    }

    const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// The subcommand called `name` (not an alias).
    pub fn subcommand(&self, name: &str) -> Option<&'static CommandSpec> {
        // `subcommands` is a `&'static` slice, so its elements are `'static` too.
        let subs: &'static [CommandSpec] = self.subcommands;
        subs.iter().find(|c| c.name == name)
    }

    fn matches(&self, word: &str) -> bool {
        self.name == word || self.aliases.contains(&word)
    }
}

/// cobra's help flag, added to every command.
const HELP_FLAG: FlagSpec = b("help", "false").short('h');

// ---------------------------------------------------------------------------------------------
// Invocation
// ---------------------------------------------------------------------------------------------

/// What the caller should print instead of running the command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Help {
    /// The command's help on stdout, exit 0 (`--help`, `-h`, `kubectl help CMD`, bare `kubectl`,
    /// a command that cannot run).
    Show,
    /// The command's help on the given stream, exit 1 (a `DefaultSubCommandRun` group called
    /// without a subcommand, e.g. `kubectl rollout`).
    ShowAndFail(Stream),
    /// `kubectl help <unknown>`: this line (e.g. ``Unknown help topic [`foo`]``), then the root's
    /// usage, both on stderr, exit 0.
    UnknownTopic(String),
}

/// The state of one flag after parsing.
#[derive(Clone, Debug)]
struct FlagState {
    spec: &'static FlagSpec,
    /// Every value given, in order (after the no-option default was filled in).
    values: Vec<String>,
    /// Position among the flags given (for [`Invocation::changed`]).
    seq: usize,
}

/// A parsed command line.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// The command path under `kubectl` by canonical names (`kubectl deploy` is not a command,
    /// but `kubectl create deploy` gives `["create", "deployment"]`); empty for the root.
    pub path: Vec<&'static str>,
    pub command: &'static CommandSpec,
    /// Positional arguments before `--`.
    pub args: Vec<String>,
    /// Arguments after `--` (`kubectl exec pod -- ls`); `None` when there was no `--`.
    pub after_dash: Option<Vec<String>>,
    /// Set when the caller should print help instead of running the command.
    pub help: Option<Help>,
    /// Lines pflag printed while parsing (deprecated flags), for stderr before the command's
    /// own output.
    pub warnings: Vec<String>,
    flags: Vec<FlagState>,
}

impl Invocation {
    /// `kubectl rollout status` for `["rollout", "status"]`: what cobra calls the command path.
    pub fn command_path(&self) -> String {
        command_path(&self.path)
    }

    /// cobra's `ArgsLenAtDash`: how many positional arguments came before `--`, or -1.
    pub fn args_len_at_dash(&self) -> i64 {
        if self.after_dash.is_some() {
            self.args.len() as i64
        } else {
            -1
        }
    }

    /// All positional arguments, before and after `--` (cobra's `args`).
    pub fn all_args(&self) -> Vec<String> {
        let mut all = self.args.clone();
        all.extend(self.after_dash.iter().flatten().cloned());
        all
    }

    fn state(&self, name: &str) -> Option<&FlagState> {
        let name = normalize(name);
        let found = self.flags.iter().find(|f| f.spec.long == name);
        debug_assert!(
            found.is_some(),
            "flag --{name} is not declared for `{}`",
            self.command_path()
        );
        found
    }

    /// Whether the flag was given (pflag's `Changed`), even with its default value.
    pub fn was_set(&self, name: &str) -> bool {
        self.state(name).is_some_and(|f| !f.values.is_empty())
    }

    /// The flag's value: the last one given, else its default. For list flags use
    /// [`Invocation::get_all`].
    pub fn get_str(&self, name: &str) -> &str {
        match self.state(name) {
            Some(f) => f.values.last().map_or(f.spec.default, String::as_str),
            None => "",
        }
    }

    /// A bool flag's value.
    pub fn get_bool(&self, name: &str) -> bool {
        parse_bool(self.get_str(name)).unwrap_or(false)
    }

    /// An integer flag's value (also `-v`, whose klog parser reads base 10 only).
    pub fn get_int(&self, name: &str) -> i64 {
        let base = match self.state(name) {
            Some(f) if f.spec.kind == FlagKind::Level => 10,
            _ => 0,
        };
        parse_int(self.get_str(name), base, 64).unwrap_or(0)
    }

    /// A duration flag's value in nanoseconds (Go's `time.Duration`; may be negative).
    pub fn get_duration_nanos(&self, name: &str) -> i64 {
        parse_duration(self.get_str(name)).unwrap_or(0)
    }

    /// A list flag's values: for `StringSlice` every value CSV-split and concatenated, for
    /// `StringArray` every value; the default when the flag was not given. For scalar flags,
    /// every value given (empty when none).
    pub fn get_all(&self, name: &str) -> Vec<String> {
        let Some(f) = self.state(name) else {
            return Vec::new();
        };
        match f.spec.kind {
            FlagKind::StringSlice | FlagKind::StringArray if f.values.is_empty() => default_list(f.spec.default),
            FlagKind::StringSlice => f.values.iter().flat_map(|v| read_csv(v).unwrap_or_default()).collect(),
            _ => f.values.clone(),
        }
    }

    /// Names of the flags given, in the order first given.
    pub fn changed(&self) -> Vec<&'static str> {
        let mut given: Vec<&FlagState> = self.flags.iter().filter(|f| !f.values.is_empty()).collect();
        given.compact_sort_by_key(|f| f.seq);
        given.into_iter().map(|f| f.spec.long).collect()
    }

    /// Required flags (cobra's `MarkFlagRequired`) that were not given, sorted by name as
    /// cobra's `ValidateRequiredFlags` (which walks the flags with `VisitAll`) lists them.
    /// cobra checks them after the pre-run hooks, so kubectl reports them through klog: see
    /// [`command_failed_line`] and [`required_flags_error`].
    pub fn missing_required(&self) -> Vec<&'static str> {
        let mut missing: Vec<&'static str> = self
            .flags
            .iter()
            .filter(|f| f.spec.required && f.values.is_empty())
            .map(|f| f.spec.long)
            .collect();
        missing.compact_sort();
        missing
    }
}

/// `"a", "b"` → cobra's `required flag(s) "a", "b" not set`.
pub fn required_flags_error(missing: &[&str]) -> String {
    format!("required flag(s) \"{}\" not set", missing.join("\", \""))
}

/// The klog line `component-base/cli` prints for an error returned after logging started
/// (required flags, errors of `RunE` commands):
/// `E1125 14:35:28.300032   19028 run.go:72] "command failed" err="required flag(s) \"image\" not set"`.
/// `timestamp` is `MMDD hh:mm:ss.uuuuuu`; klog pads the pid to 7 columns.
pub fn command_failed_line(timestamp: &str, pid: u32, err: &str) -> String {
    format!(
        "E{timestamp} {pid:>7} run.go:72] \"command failed\" err={}",
        go_quote(err)
    )
}

fn command_path(path: &[&str]) -> String {
    std::iter::once("kubectl")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

fn default_list(default: &str) -> Vec<String> {
    let inner = default
        .strip_prefix('[')
        .and_then(|d| d.strip_suffix(']'))
        .unwrap_or(default);
    if inner.is_empty() {
        Vec::new()
    } else {
        inner.split(',').map(str::to_string).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// Parses a kubectl command line against the built-in tree [`KUBECTL`]. `argv[0]` is the program
/// name (`kubectl`), as [`crate::script::Host::kubectl`] passes it.
pub fn parse_kubectl(argv: &[String]) -> Result<Invocation, Output> {
    parse(&KUBECTL, argv)
}

/// Parses `argv` (`argv[0]` is the program name and is skipped) against the tree under `root`.
/// `Err` holds exactly what kubectl prints for a command-line error (stderr, exit 1).
pub fn parse(root: &'static CommandSpec, argv: &[String]) -> Result<Invocation, Output> {
    let args: &[String] = argv.get(1..).unwrap_or_default();

    // 1. kubectl's plugin lookup runs when cobra would not find a command (the help and
    //    completion commands cobra adds later are not in the tree yet at that point).
    if !args.is_empty() && find(root, args, false).2 {
        let name = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
        if !matches!(name, Some("help" | "__complete" | "__completeNoDesc")) && args[0].starts_with('-') {
            return Err(Output::fail(format!(
                "Error: flags cannot be placed before plugin name: {}",
                args[0]
            )));
        }
    }

    // 2. cobra's Find, with legacyArgs at the root.
    let (chain, rest, unknown) = find(root, args, true);
    if unknown {
        let flags = flag_set(&chain);
        let stripped = strip_flags(&rest, &flags);
        let typed = stripped.first().map(String::as_str).unwrap_or_default();
        return Err(Output::fail(format!(
            "Error: unknown command {} for \"kubectl\"{}",
            go_quote(typed),
            suggestions(root, typed)
        )));
    }
    let path: Vec<&'static str> = chain.iter().skip(1).map(|c| c.name).collect();
    let command = chain.last().copied().unwrap_or(root);

    // 3. pflag.
    let flags = flag_set(&chain);
    let mut states: Vec<FlagState> = flags
        .iter()
        .map(|&spec| FlagState {
            spec,
            values: Vec::new(),
            seq: 0,
        })
        .collect();
    let mut warnings = Vec::new();
    let (positional, after_dash) = match parse_flags(&rest, &mut states, &mut warnings) {
        Ok(r) => r,
        Err(msg) => {
            let cmd_path = command_path(&path);
            return Err(match command.flag_errors {
                FlagErrors::Cobra => Output::fail(format!("Error: {msg}\nSee '{cmd_path} --help' for usage.")),
                FlagErrors::Options => Output::fail(format!("Error: {msg}\nRun '{cmd_path}' without flags.")),
                FlagErrors::Diff => {
                    let mut out = Output::fail(format!("error: {msg}\nSee '{cmd_path} -h' for help and examples"));
                    out.exit_code = 2;
                    out
                }
            });
        }
    };
    let mut inv = Invocation {
        path,
        command,
        args: positional,
        after_dash,
        help: None,
        warnings,
        flags: states,
    };

    // 4. cobra's execute.
    if inv.get_bool("help") {
        inv.help = Some(Help::Show);
        return Ok(inv);
    }
    if std::ptr::eq(command, &HELP_COMMAND) {
        return Ok(resolve_help_topic(root, inv));
    }
    match command.run {
        RunKind::NotRunnable => inv.help = Some(Help::Show),
        RunKind::SubcommandRun(stream) => {
            let all = inv.all_args();
            if all.is_empty() {
                inv.help = Some(Help::ShowAndFail(stream));
            } else {
                return Err(Output::fail(format!(
                    "error: unknown command {}\nSee '{} -h' for help and examples",
                    go_quote(&all.join(" ")),
                    inv.command_path()
                )));
            }
        }
        RunKind::Run => {}
    }
    Ok(inv)
}

/// cobra's help command: `kubectl help rollout status` shows that command's help; a topic that
/// is not a command prints ``Unknown help topic [`foo`]`` (Go's `%#q` of the argument list) and
/// the root usage.
fn resolve_help_topic(root: &'static CommandSpec, mut inv: Invocation) -> Invocation {
    let topic = inv.all_args();
    let (chain, _, unknown) = find(root, &topic, true);
    if unknown {
        let words: Vec<String> = topic.iter().map(|t| go_quote_backquote(t)).collect();
        inv.help = Some(Help::UnknownTopic(format!("Unknown help topic [{}]", words.join(" "))));
    } else {
        inv.path = chain.iter().skip(1).map(|c| c.name).collect();
        inv.command = chain.last().copied().unwrap_or(root);
        inv.help = Some(Help::Show);
    }
    inv
}

/// The flags a command accepts: its own, then the persistent flags of itself and its ancestors
/// (nearest first; a name already present wins, as in cobra's `mergePersistentFlags`), then
/// `--help`.
fn flag_set(chain: &[&'static CommandSpec]) -> Vec<&'static FlagSpec> {
    let mut out: Vec<&'static FlagSpec> = Vec::new();
    let mut add = |f: &'static FlagSpec| {
        if !out.iter().any(|o| o.long == f.long) {
            out.push(f);
        }
    };
    if let Some(last) = chain.last() {
        let own: &'static [FlagSpec] = last.flags;
        own.iter().for_each(&mut add);
    }
    for c in chain.iter().rev() {
        let persistent: &'static [FlagSpec] = c.persistent;
        persistent.iter().for_each(&mut add);
    }
    add(&HELP_FLAG);
    out
}

/// kubectl's `WordSepNormalizeFunc`: `--all_namespaces` is `--all-namespaces`.
fn normalize(name: &str) -> String {
    name.replace('_', "-")
}

fn lookup_long<'a>(flags: &'a [&'static FlagSpec], name: &str) -> Option<&'a &'static FlagSpec> {
    let name = normalize(name);
    flags.iter().find(|f| f.long == name)
}

fn lookup_short<'a>(flags: &'a [&'static FlagSpec], c: u8) -> Option<&'a &'static FlagSpec> {
    flags
        .iter()
        .find(|f| f.short.is_some_and(|s| s.is_ascii() && s as u8 == c))
}

/// cobra's `Find`: follows subcommand names through the non-flag arguments. Returns the chain of
/// commands from the root, the arguments left for the last one, and whether cobra's
/// `legacyArgs` rejects them (arguments left at the root: an unknown command).
fn find(
    root: &'static CommandSpec,
    args: &[String],
    with_help: bool,
) -> (Vec<&'static CommandSpec>, Vec<String>, bool) {
    let mut chain: Vec<&'static CommandSpec> = vec![root];
    let mut rest: Vec<String> = args.to_vec();
    loop {
        let flags = flag_set(&chain);
        let stripped = strip_flags(&rest, &flags);
        let Some(next) = stripped.first() else { break };
        let current = chain[chain.len() - 1];
        let Some(sub) = find_next(current, next, with_help && chain.len() == 1) else {
            break;
        };
        rest = args_minus_first_x(&rest, next, &flags);
        chain.push(sub);
    }
    let unknown = chain.len() == 1 && {
        let flags = flag_set(&chain);
        !strip_flags(&rest, &flags).is_empty()
    };
    (chain, rest, unknown)
}

fn find_next(c: &'static CommandSpec, word: &str, with_help: bool) -> Option<&'static CommandSpec> {
    let subs: &'static [CommandSpec] = c.subcommands;
    if let Some(found) = subs.iter().find(|s| s.matches(word)) {
        return Some(found);
    }
    (with_help && HELP_COMMAND.matches(word)).then_some(&HELP_COMMAND)
}

/// Whether a bare `--name` / `-c` takes no value (pflag `NoOptDefVal`), for cobra's
/// `stripFlags`. Unknown flags count as taking a value.
fn has_no_opt_long(flags: &[&'static FlagSpec], name: &str) -> bool {
    lookup_long(flags, name).is_some_and(|f| f.no_opt.is_some())
}

fn has_no_opt_short(flags: &[&'static FlagSpec], name: &str) -> bool {
    name.bytes()
        .next()
        .and_then(|c| lookup_short(flags, c))
        .is_some_and(|f| f.no_opt.is_some())
}

/// cobra's `stripFlags`: the arguments that are not flags or flag values. Its quirks are kept:
/// a flag needing a value swallows the next argument only if at least two arguments follow it
/// (`kubectl -n get` stays at the root), and an unknown `--flag` is assumed to need one.
fn strip_flags(args: &[String], flags: &[&'static FlagSpec]) -> Vec<String> {
    let mut commands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = args[i].as_str();
        i += 1;
        let long_needs_value = s.starts_with("--") && !s.contains('=') && !has_no_opt_long(flags, &s[2..]);
        let short_needs_value =
            s.starts_with('-') && !s.contains('=') && s.len() == 2 && !has_no_opt_short(flags, &s[1..]);
        if s == "--" {
            break;
        } else if long_needs_value || short_needs_value {
            if args.len() - i <= 1 {
                break;
            }
            i += 1;
        } else if !s.is_empty() && !s.starts_with('-') {
            commands.push(s.to_string());
        }
    }
    commands
}

/// cobra's `argsMinusFirstX`: removes the first non-flag occurrence of `x`.
fn args_minus_first_x(args: &[String], x: &str, flags: &[&'static FlagSpec]) -> Vec<String> {
    let mut pos = 0;
    while pos < args.len() {
        let s = args[pos].as_str();
        if s == "--" {
            break;
        }
        let long_needs_value = s.starts_with("--") && !s.contains('=') && !has_no_opt_long(flags, &s[2..]);
        let short_needs_value =
            s.starts_with('-') && !s.contains('=') && s.len() == 2 && !has_no_opt_short(flags, &s[1..]);
        if long_needs_value || short_needs_value {
            pos += 2;
            continue;
        }
        if !s.starts_with('-') && s == x {
            let mut out = args.to_vec();
            out.remove(pos);
            return out;
        }
        pos += 1;
    }
    args.to_vec()
}

/// cobra's `SuggestionsFor` rendered by `findSuggestions`.
fn suggestions(root: &CommandSpec, typed: &str) -> String {
    let lower = typed.to_lowercase();
    let found: Vec<&str> = root
        .subcommands
        .iter()
        .filter(|c| !c.hidden)
        .filter(|c| levenshtein(&lower, &c.name.to_lowercase()) <= 2 || c.name.to_lowercase().starts_with(&lower))
        .map(|c| c.name)
        .collect();
    if found.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n\nDid you mean this?\n");
    for name in found {
        out.push('\t');
        out.push_str(name);
        out.push('\n');
    }
    out
}

/// cobra's `ld`: Levenshtein distance over bytes (two rows, so a megabyte-long typo is cheap).
fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j]
            } else {
                1 + prev[j].min(prev[j + 1]).min(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

type Parsed = (Vec<String>, Option<Vec<String>>);

/// pflag's `parseArgs` with interspersed arguments. Returns the positional arguments and those
/// after `--`; errors are the message after `Error: `.
fn parse_flags(args: &[String], states: &mut [FlagState], warnings: &mut Vec<String>) -> Result<Parsed, String> {
    let specs: Vec<&'static FlagSpec> = states.iter().map(|s| s.spec).collect();
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = args[i].as_str();
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            positional.push(s.to_string());
            continue;
        }
        if s == "--" {
            return Ok((positional, Some(args[i..].to_vec())));
        }
        if let Some(name) = s.strip_prefix("--") {
            if name.starts_with('-') || name.starts_with('=') {
                return Err(format!("bad flag syntax: {s}"));
            }
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (name, None),
            };
            let Some(&spec) = lookup_long(&specs, name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (inline, spec.no_opt) {
                (Some(v), _) => v.to_string(),
                (None, Some(v)) => v.to_string(),
                (None, None) if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                (None, None) => return Err(format!("flag needs an argument: {s}")),
            };
            set(states, spec, value, warnings)?;
        } else {
            // A run of shorthands, pflag's `parseShortArg`: byte by byte.
            let mut shorthands = &s[1..];
            while !shorthands.is_empty() {
                if shorthands.starts_with("test.") {
                    break;
                }
                let c = shorthands.as_bytes()[0];
                let Some(&spec) = lookup_short(&specs, c) else {
                    return Err(format!(
                        "unknown shorthand flag: {} in -{}",
                        go_quote_rune(char::from(c)),
                        shorthands
                    ));
                };
                // `c` is ASCII (it matched a shorthand), so byte 1 is a char boundary.
                let after = &shorthands[1..];
                let value;
                if let Some(v) = after.strip_prefix('=').filter(|_| shorthands.len() > 2) {
                    value = v.to_string();
                    shorthands = "";
                } else if let Some(v) = spec.no_opt {
                    value = v.to_string();
                    shorthands = after;
                } else if !after.is_empty() {
                    value = after.to_string();
                    shorthands = "";
                } else if i < args.len() {
                    value = args[i].clone();
                    i += 1;
                    shorthands = "";
                } else {
                    return Err(format!(
                        "flag needs an argument: {} in -{}",
                        go_quote_rune(char::from(c)),
                        shorthands
                    ));
                }
                set(states, spec, value, warnings)?;
            }
        }
    }
    Ok((positional, None))
}

/// pflag's `FlagSet.Set`: checks the value, records it, warns about deprecated flags.
fn set(
    states: &mut [FlagState],
    spec: &'static FlagSpec,
    value: String,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    if let Err(e) = check_value(spec.kind, &value) {
        let name = match spec.short {
            Some(c) => format!("-{c}, --{}", spec.long),
            None => format!("--{}", spec.long),
        };
        return Err(format!(
            "invalid argument {} for \"{name}\" flag: {e}",
            go_quote(&value)
        ));
    }
    if let Some(msg) = spec.deprecated {
        warnings.push(format!("Flag --{} has been deprecated, {msg}", spec.long));
    }
    let seq = states.iter().filter(|s| !s.values.is_empty()).count();
    if let Some(state) = states.iter_mut().find(|s| std::ptr::eq(s.spec, spec)) {
        if state.values.is_empty() {
            state.seq = seq;
        }
        state.values.push(value);
    }
    Ok(())
}

/// The error pflag's `Value.Set` returns for a bad value, if any.
fn check_value(kind: FlagKind, v: &str) -> Result<(), String> {
    match kind {
        FlagKind::Bool => parse_bool(v)
            .map(drop)
            .ok_or_else(|| num_error("ParseBool", v, "invalid syntax")),
        FlagKind::Int => parse_int(v, 0, 64).map(drop).map_err(|e| num_error("ParseInt", v, e)),
        FlagKind::Int32 => parse_int(v, 0, 32).map(drop).map_err(|e| num_error("ParseInt", v, e)),
        FlagKind::Level => parse_int(v, 10, 32).map(drop).map_err(|e| num_error("ParseInt", v, e)),
        FlagKind::Duration => parse_duration(v).map(drop),
        FlagKind::GoDuration => parse_duration(v).map(drop).map_err(|_| "parse error".to_string()),
        FlagKind::StringSlice => read_csv(v).map(drop),
        FlagKind::VModule => check_vmodule(v),
        FlagKind::StringToString => check_string_to_string(v),
        FlagKind::MapStringString => check_map_string_string(v),
        FlagKind::String | FlagKind::StringArray => Ok(()),
    }
}

fn num_error(func: &str, v: &str, err: &str) -> String {
    format!("strconv.{func}: parsing {}: {err}", go_quote(v))
}

// ---------------------------------------------------------------------------------------------
// Go value parsers
// ---------------------------------------------------------------------------------------------

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, base, bits)` for base 0 (prefixes `0x`, `0o`, `0b`, `0`, and
/// underscores) or 10. Errors are Go's `invalid syntax` / `value out of range`.
pub fn parse_int(s: &str, base: u32, bits: u32) -> Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    const RANGE: &str = "value out of range";
    let (neg, digits) = match s.as_bytes().first() {
        None => return Err(SYNTAX),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
    };
    // ParseUint.
    if digits.is_empty() {
        return Err(SYNTAX);
    }
    let base0 = base == 0;
    let bytes = digits.as_bytes();
    let (base, body): (u64, &[u8]) = if !base0 {
        (u64::from(base), bytes)
    } else if bytes[0] == b'0' {
        match bytes.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if bytes.len() >= 3 => (2, &bytes[2..]),
            Some(b'o') if bytes.len() >= 3 => (8, &bytes[2..]),
            Some(b'x') if bytes.len() >= 3 => (16, &bytes[2..]),
            _ => (8, &bytes[1..]),
        }
    } else {
        (10, bytes)
    };
    let max_val: u64 = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let cutoff = u64::MAX / base + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    let mut range_err = false;
    for &c in body {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(c - b'0'),
            _ if c.is_ascii_alphabetic() => u64::from(c.to_ascii_lowercase() - b'a') + 10,
            _ => return Err(SYNTAX),
        };
        if d >= base {
            return Err(SYNTAX);
        }
        if n >= cutoff {
            n = max_val;
            range_err = true;
            break;
        }
        n *= base;
        match n.checked_add(d) {
            Some(n1) if n1 <= max_val => n = n1,
            _ => {
                n = max_val;
                range_err = true;
                break;
            }
        }
    }
    if !range_err && underscores && !underscore_ok(digits) {
        return Err(SYNTAX);
    }
    // ParseInt's range check on the unsigned value.
    let cutoff = 1u64 << (bits.clamp(1, 64) - 1);
    if !neg && n >= cutoff {
        return Err(RANGE);
    }
    if neg && n > cutoff {
        return Err(RANGE);
    }
    if range_err {
        return Err(RANGE);
    }
    Ok(if neg { (n as i64).wrapping_neg() } else { n as i64 })
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `time.ParseDuration`, in nanoseconds, with its error messages.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // Leading integer.
        let mut v: u64 = 0;
        let mut k = 0;
        while k < s.len() && s[k].is_ascii_digit() {
            if v > (1 << 63) / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(s[k] - b'0');
            if v > 1 << 63 {
                return Err(invalid());
            }
            k += 1;
        }
        let pre = k > 0;
        s = &s[k..];
        // Fraction.
        let mut f: u64 = 0;
        let mut scale = 1f64;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut k = 0;
            let mut overflow = false;
            while k < s.len() && s[k].is_ascii_digit() {
                if !overflow {
                    if f > ((1u64 << 63) - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[k] - b'0');
                        if y > 1 << 63 {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                k += 1;
            }
            post = k > 0;
            s = &s[k..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        // Unit.
        let k = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if k == 0 {
            return Err(format!("time: missing unit in duration {}", time_quote(orig)));
        }
        let unit_bytes = &s[..k];
        s = &s[k..];
        let unit: u64 = match unit_bytes {
            b"ns" => 1,
            b"us" => 1_000,
            b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                let u = String::from_utf8_lossy(unit_bytes);
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(&u),
                    time_quote(orig)
                ));
            }
        };
        if v > (1 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        total += v;
        if total > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    if total > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// The `time` package's own `quote`: non-ASCII and control bytes as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) < 0x20 || !c.is_ascii() {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// klog's `moduleSpec.Set`.
fn check_vmodule(v: &str) -> Result<(), String> {
    const SYNTAX: &str = "syntax error: expect comma-separated list of filename=N";
    for pat in v.split(',') {
        if pat.is_empty() {
            continue;
        }
        let parts: Vec<&str> = pat.split('=').collect();
        if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
            return Err(SYNTAX.to_string());
        }
        match parse_int(parts[1], 10, 32) {
            Err(_) => return Err(SYNTAX.to_string()),
            Ok(n) if n < 0 => return Err("negative value for vmodule level".to_string()),
            Ok(_) => {}
        }
    }
    Ok(())
}

/// pflag's `stringToStringValue.Set`.
fn check_string_to_string(v: &str) -> Result<(), String> {
    let pairs = match v.matches('=').count() {
        0 => return Err(format!("{v} must be formatted as key=value")),
        1 => vec![v.trim_matches('"').to_string()],
        _ => read_csv(v)?,
    };
    match pairs.iter().find(|p| !p.contains('=')) {
        Some(p) => Err(format!("{p} must be formatted as key=value")),
        None => Ok(()),
    }
}

/// component-base's `MapStringString.Set`.
fn check_map_string_string(v: &str) -> Result<(), String> {
    for pair in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !pair.contains('=') {
            return Err("malformed pair, expect string=string".to_string());
        }
    }
    Ok(())
}

/// pflag's `readAsCSV`: the first record of `val` read by Go's `encoding/csv` with default
/// settings, including its error messages (`parse error on line 1, column 2: bare " in
/// non-quoted-field`).
pub fn read_csv(val: &str) -> Result<Vec<String>, String> {
    if val.is_empty() {
        return Ok(Vec::new());
    }
    // Lines as encoding/csv's readLine returns them: with their `\n`, `\r\n` folded to `\n`,
    // a `\r` right before end of input dropped.
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let bytes = val.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(bytes.len(), |p| start + p + 1);
        let mut line = bytes[start..end].to_vec();
        if end == bytes.len() && line.last() == Some(&b'\r') && !line.ends_with(b"\n") {
            line.pop();
        }
        if line.ends_with(b"\r\n") {
            line.truncate(line.len() - 2);
            line.push(b'\n');
        }
        lines.push(line);
        start = end;
    }
    let mut next_line = 0;
    let mut read_line = |num_line: &mut usize| -> Option<Vec<u8>> {
        let l = lines.get(next_line).cloned();
        if l.is_some() {
            next_line += 1;
            *num_line += 1;
        }
        l
    };
    let mut num_line = 0;
    // Skip empty lines.
    let mut line = loop {
        match read_line(&mut num_line) {
            None => return Err("EOF".to_string()),
            Some(l) if l == b"\n" => continue,
            Some(l) => break l,
        }
    };
    let rec_line = num_line;
    let len_nl = |l: &[u8]| usize::from(l.last() == Some(&b'\n'));
    let err = |start: usize, line: usize, col: usize, msg: &str| -> String {
        if start != line {
            format!("record on line {start}; parse error on line {line}, column {col}: {msg}")
        } else {
            format!("parse error on line {line}, column {col}: {msg}")
        }
    };
    const BARE: &str = "bare \" in non-quoted-field";
    const QUOTE: &str = "extraneous or missing \" in quoted-field";
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let mut pos_line = num_line;
    let mut pos_col = 1usize;
    'field: loop {
        if line.first() != Some(&b'"') {
            // Non-quoted field.
            let comma = line.iter().position(|&c| c == b',');
            let field: &[u8] = match comma {
                Some(k) => &line[..k],
                None => &line[..line.len() - len_nl(&line)],
            };
            if let Some(j) = field.iter().position(|&c| c == b'"') {
                return Err(err(rec_line, num_line, pos_col + j, BARE));
            }
            fields.push(field.to_vec());
            match comma {
                Some(k) => {
                    line = line[k + 1..].to_vec();
                    pos_col += k + 1;
                    continue 'field;
                }
                None => break 'field,
            }
        }
        // Quoted field.
        let mut buf = Vec::new();
        line = line[1..].to_vec();
        pos_col += 1;
        loop {
            if let Some(k) = line.iter().position(|&c| c == b'"') {
                buf.extend_from_slice(&line[..k]);
                line = line[k + 1..].to_vec();
                pos_col += k + 1;
                match line.first() {
                    Some(b'"') => {
                        buf.push(b'"');
                        line = line[1..].to_vec();
                        pos_col += 1;
                    }
                    Some(b',') => {
                        line = line[1..].to_vec();
                        pos_col += 1;
                        fields.push(buf);
                        continue 'field;
                    }
                    _ if len_nl(&line) == line.len() => {
                        fields.push(buf);
                        break 'field;
                    }
                    _ => return Err(err(rec_line, num_line, pos_col - 1, QUOTE)),
                }
            } else if !line.is_empty() {
                buf.extend_from_slice(&line);
                pos_col += line.len();
                match read_line(&mut num_line) {
                    Some(l) => {
                        line = l;
                        pos_line += 1;
                        pos_col = 1;
                    }
                    None => line = Vec::new(),
                }
            } else {
                return Err(err(rec_line, pos_line, pos_col, QUOTE));
            }
        }
    }
    Ok(fields
        .into_iter()
        .map(|f| String::from_utf8_lossy(&f).into_owned())
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Go quoting
// ---------------------------------------------------------------------------------------------

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (`%q` of a rune or byte).
fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

/// Go's `%#q`: backquoted when `strconv.CanBackquote`, else `strconv.Quote`.
fn go_quote_backquote(s: &str) -> String {
    let can = s
        .chars()
        .all(|c| c != '`' && c != '\u{feff}' && c != '\x7f' && (c == '\t' || c >= ' '));
    if can {
        format!("`{s}`")
    } else {
        go_quote(s)
    }
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if go_is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `unicode.IsPrint`, approximated without Unicode tables: control characters, spaces
/// other than U+0020, format characters and private-use or non-characters are not printable.
/// (Unassigned code points, which Go also escapes, are not detected.)
fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let format_or_private = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F
        | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD | 0xD800..=0xDFFF);
    let noncharacter = (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE;
    !(format_or_private || noncharacter)
}

// ---------------------------------------------------------------------------------------------
// The kubectl v1.32 command tree
// ---------------------------------------------------------------------------------------------

/// cobra's help command (added by cobra at execution; not suggested).
static HELP_COMMAND: CommandSpec = CommandSpec::new("help", &[]).hidden();

// @generated-begin: from `kubectl <cmd> --help` and offline probes of kubectl v1.32.4 (see the
// flags tests); flag kinds were found by feeding each flag values only one kind rejects.

/// `kubectl create clusterrole`
const CREATE_CLUSTERROLE: CommandSpec = CommandSpec::new(
    "clusterrole",
    &[
        FlagSpec::new("aggregation-rule", FlagKind::MapStringString, ""),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sl("non-resource-url", "[]"),
        s("output", "").short('o'),
        sl("resource", "[]"),
        sa("resource-name", "[]"),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        sl("verb", "[]"),
    ],
);

/// `kubectl create clusterrolebinding`
const CREATE_CLUSTERROLEBINDING: CommandSpec = CommandSpec::new(
    "clusterrolebinding",
    &[
        b("allow-missing-template-keys", "true"),
        s("clusterrole", "").required(),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sa("group", "[]"),
        s("output", "").short('o'),
        b("save-config", "false"),
        sa("serviceaccount", "[]"),
        b("show-managed-fields", "false"),
        s("template", ""),
        sa("user", "[]"),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create configmap`
const CREATE_CONFIGMAP: CommandSpec = CommandSpec::new(
    "configmap",
    &[
        b("allow-missing-template-keys", "true"),
        b("append-hash", "false"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sl("from-env-file", "[]"),
        sl("from-file", "[]"),
        sa("from-literal", "[]"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["cm"]);

/// `kubectl create cronjob`
const CREATE_CRONJOB: CommandSpec = CommandSpec::new(
    "cronjob",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("image", "").required(),
        s("output", "").short('o'),
        s("restart", ""),
        b("save-config", "false"),
        s("schedule", "").required(),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["cj"]);

/// `kubectl create deployment`
const CREATE_DEPLOYMENT: CommandSpec = CommandSpec::new(
    "deployment",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sl("image", "[]").required(),
        s("output", "").short('o'),
        i32f("port", "-1"),
        i32f("replicas", "1").short('r'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["deploy"]);

/// `kubectl create ingress`
const CREATE_INGRESS: CommandSpec = CommandSpec::new(
    "ingress",
    &[
        b("allow-missing-template-keys", "true"),
        sa("annotation", "[]"),
        s("class", ""),
        s("default-backend", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        sa("rule", "[]"),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["ing"]);

/// `kubectl create job`
const CREATE_JOB: CommandSpec = CommandSpec::new(
    "job",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("from", ""),
        s("image", ""),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create namespace`
const CREATE_NAMESPACE: CommandSpec = CommandSpec::new(
    "namespace",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["ns"]);

/// `kubectl create poddisruptionbudget`
const CREATE_PODDISRUPTIONBUDGET: CommandSpec = CommandSpec::new(
    "poddisruptionbudget",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("max-unavailable", ""),
        s("min-available", ""),
        s("output", "").short('o'),
        b("save-config", "false"),
        s("selector", ""),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["pdb"]);

/// `kubectl create priorityclass`
const CREATE_PRIORITYCLASS: CommandSpec = CommandSpec::new(
    "priorityclass",
    &[
        b("allow-missing-template-keys", "true"),
        s("description", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        b("global-default", "false"),
        s("output", "").short('o'),
        s("preemption-policy", "PreemptLowerPriority"),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        i32f("value", "0"),
    ],
)
.aliases(&["pc"]);

/// `kubectl create quota`
const CREATE_QUOTA: CommandSpec = CommandSpec::new(
    "quota",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("hard", ""),
        s("output", "").short('o'),
        b("save-config", "false"),
        s("scopes", ""),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["resourcequota"]);

/// `kubectl create role`
const CREATE_ROLE: CommandSpec = CommandSpec::new(
    "role",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        sl("resource", "[]"),
        sa("resource-name", "[]"),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        sl("verb", "[]"),
    ],
);

/// `kubectl create rolebinding`
const CREATE_ROLEBINDING: CommandSpec = CommandSpec::new(
    "rolebinding",
    &[
        b("allow-missing-template-keys", "true"),
        s("clusterrole", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sa("group", "[]"),
        s("output", "").short('o'),
        s("role", ""),
        b("save-config", "false"),
        sa("serviceaccount", "[]"),
        b("show-managed-fields", "false"),
        s("template", ""),
        sa("user", "[]"),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create secret docker-registry`
const CREATE_SECRET_DOCKER_REGISTRY: CommandSpec = CommandSpec::new(
    "docker-registry",
    &[
        b("allow-missing-template-keys", "true"),
        b("append-hash", "false"),
        s("docker-email", ""),
        s("docker-password", ""),
        s("docker-server", "https://index.docker.io/v1/"),
        s("docker-username", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sl("from-file", "[]"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create secret generic`
const CREATE_SECRET_GENERIC: CommandSpec = CommandSpec::new(
    "generic",
    &[
        b("allow-missing-template-keys", "true"),
        b("append-hash", "false"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        sl("from-env-file", "[]"),
        sl("from-file", "[]"),
        sa("from-literal", "[]"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("type", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create secret tls`
const CREATE_SECRET_TLS: CommandSpec = CommandSpec::new(
    "tls",
    &[
        b("allow-missing-template-keys", "true"),
        b("append-hash", "false"),
        s("cert", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("key", ""),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create secret`
const CREATE_SECRET: CommandSpec = CommandSpec::new("secret", &[])
    .subs(&[CREATE_SECRET_DOCKER_REGISTRY, CREATE_SECRET_GENERIC, CREATE_SECRET_TLS])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl create service clusterip`
const CREATE_SERVICE_CLUSTERIP: CommandSpec = CommandSpec::new(
    "clusterip",
    &[
        b("allow-missing-template-keys", "true"),
        s("clusterip", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        sl("tcp", "[]"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create service externalname`
const CREATE_SERVICE_EXTERNALNAME: CommandSpec = CommandSpec::new(
    "externalname",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("external-name", "").required(),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        sl("tcp", "[]"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create service loadbalancer`
const CREATE_SERVICE_LOADBALANCER: CommandSpec = CommandSpec::new(
    "loadbalancer",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        sl("tcp", "[]"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create service nodeport`
const CREATE_SERVICE_NODEPORT: CommandSpec = CommandSpec::new(
    "nodeport",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        i("node-port", "0"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        sl("tcp", "[]"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl create service`
const CREATE_SERVICE: CommandSpec = CommandSpec::new("service", &[])
    .aliases(&["svc"])
    .subs(&[
        CREATE_SERVICE_CLUSTERIP,
        CREATE_SERVICE_EXTERNALNAME,
        CREATE_SERVICE_LOADBALANCER,
        CREATE_SERVICE_NODEPORT,
    ])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl create serviceaccount`
const CREATE_SERVICEACCOUNT: CommandSpec = CommandSpec::new(
    "serviceaccount",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-create"),
        s("output", "").short('o'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
)
.aliases(&["sa"]);

/// `kubectl create token`
const CREATE_TOKEN: CommandSpec = CommandSpec::new(
    "token",
    &[
        b("allow-missing-template-keys", "true"),
        sa("audience", "[]"),
        s("bound-object-kind", ""),
        s("bound-object-name", ""),
        s("bound-object-uid", ""),
        d("duration", "0s"),
        s("output", "").short('o'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl create`
const CREATE: CommandSpec = CommandSpec::new(
    "create",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        b("edit", "false"),
        s("field-manager", "kubectl-create"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        s("raw", ""),
        b("recursive", "false").short('R'),
        b("save-config", "false"),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        b("windows-line-endings", "false"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
)
.subs(&[
    CREATE_CLUSTERROLE,
    CREATE_CLUSTERROLEBINDING,
    CREATE_CONFIGMAP,
    CREATE_CRONJOB,
    CREATE_DEPLOYMENT,
    CREATE_INGRESS,
    CREATE_JOB,
    CREATE_NAMESPACE,
    CREATE_PODDISRUPTIONBUDGET,
    CREATE_PRIORITYCLASS,
    CREATE_QUOTA,
    CREATE_ROLE,
    CREATE_ROLEBINDING,
    CREATE_SECRET,
    CREATE_SERVICE,
    CREATE_SERVICEACCOUNT,
    CREATE_TOKEN,
]);

/// `kubectl expose`
const EXPOSE: CommandSpec = CommandSpec::new(
    "expose",
    &[
        b("allow-missing-template-keys", "true"),
        s("cluster-ip", ""),
        s("dry-run", "none").no_opt("unchanged"),
        s("external-ip", ""),
        s("field-manager", "kubectl-expose"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("labels", "").short('l'),
        s("load-balancer-ip", ""),
        s("name", ""),
        s("output", "").short('o'),
        s("override-type", "merge"),
        s("overrides", ""),
        s("port", ""),
        s("protocol", ""),
        b("recursive", "false").short('R'),
        b("save-config", "false"),
        s("selector", ""),
        s("session-affinity", ""),
        b("show-managed-fields", "false"),
        s("target-port", ""),
        s("template", ""),
        s("type", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl run`
const RUN: CommandSpec = CommandSpec::new(
    "run",
    &[
        b("allow-missing-template-keys", "true"),
        sa("annotations", "[]"),
        b("attach", "false"),
        s("cascade", "background").no_opt("background"),
        b("command", "false"),
        s("dry-run", "none").no_opt("unchanged"),
        sa("env", "[]"),
        b("expose", "false"),
        s("field-manager", "kubectl-run"),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        i("grace-period", "-1"),
        s("image", "").required(),
        s("image-pull-policy", ""),
        s("kustomize", "").short('k'),
        s("labels", "").short('l'),
        b("leave-stdin-open", "false"),
        s("output", "").short('o'),
        s("override-type", "merge"),
        s("overrides", ""),
        d("pod-running-timeout", "1m0s"),
        s("port", ""),
        b("privileged", "false"),
        b("quiet", "false").short('q'),
        b("recursive", "false").short('R'),
        s("restart", "Always"),
        b("rm", "false"),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        b("stdin", "false").short('i'),
        s("template", ""),
        d("timeout", "0s"),
        b("tty", "false").short('t'),
        b("wait", "false"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl set env`
const SET_ENV: CommandSpec = CommandSpec::new(
    "env",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("containers", "*").short('c'),
        s("dry-run", "none").no_opt("unchanged"),
        sa("env", "[]").short('e'),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        s("from", ""),
        sl("keys", "[]"),
        s("kustomize", "").short('k'),
        b("list", "false"),
        b("local", "false"),
        s("output", "").short('o'),
        b("overwrite", "true"),
        s("prefix", ""),
        b("recursive", "false").short('R'),
        b("resolve", "false"),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl set image`
const SET_IMAGE: CommandSpec = CommandSpec::new(
    "image",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl set resources`
const SET_RESOURCES: CommandSpec = CommandSpec::new(
    "resources",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("containers", "*").short('c'),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("limits", ""),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("requests", ""),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl set selector`
const SET_SELECTOR: CommandSpec = CommandSpec::new(
    "selector",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "true").short('R'),
        s("resource-version", ""),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl set serviceaccount`
const SET_SERVICEACCOUNT: CommandSpec = CommandSpec::new(
    "serviceaccount",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
)
.aliases(&["sa"]);

/// `kubectl set subject`
const SET_SUBJECT: CommandSpec = CommandSpec::new(
    "subject",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-set"),
        sl("filename", "[]").short('f'),
        sa("group", "[]"),
        s("kustomize", "").short('k'),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        sa("serviceaccount", "[]"),
        b("show-managed-fields", "false"),
        s("template", ""),
        sa("user", "[]"),
    ],
);

/// `kubectl set`
const SET: CommandSpec = CommandSpec::new("set", &[])
    .subs(&[
        SET_ENV,
        SET_IMAGE,
        SET_RESOURCES,
        SET_SELECTOR,
        SET_SERVICEACCOUNT,
        SET_SUBJECT,
    ])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl explain`
const EXPLAIN: CommandSpec = CommandSpec::new(
    "explain",
    &[
        s("api-version", ""),
        s("output", "plaintext").short('o'),
        b("recursive", "false"),
    ],
);

/// `kubectl get`
const GET: CommandSpec = CommandSpec::new(
    "get",
    &[
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        i("chunk-size", "500"),
        s("field-selector", ""),
        sl("filename", "[]").short('f'),
        b("ignore-not-found", "false"),
        s("kustomize", "").short('k'),
        sl("label-columns", "[]").short('L'),
        b("no-headers", "false"),
        s("output", "").short('o'),
        b("output-watch-events", "false"),
        s("raw", ""),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("server-print", "true"),
        b("show-kind", "false"),
        b("show-labels", "false"),
        b("show-managed-fields", "false"),
        s("sort-by", ""),
        s("subresource", ""),
        s("template", ""),
        b("watch", "false").short('w'),
        b("watch-only", "false"),
    ],
);

/// `kubectl edit`
const EDIT: CommandSpec = CommandSpec::new(
    "edit",
    &[
        b("allow-missing-template-keys", "true"),
        s("field-manager", "kubectl-edit"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("output-patch", "false"),
        b("recursive", "false").short('R'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("subresource", ""),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        b("windows-line-endings", "false"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl delete`
const DELETE: CommandSpec = CommandSpec::new(
    "delete",
    &[
        b("all", "false"),
        b("all-namespaces", "false").short('A'),
        s("cascade", "background").no_opt("background"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-selector", ""),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        i("grace-period", "-1"),
        b("ignore-not-found", "false"),
        b("interactive", "false").short('i'),
        s("kustomize", "").short('k'),
        b("now", "false"),
        s("output", "").short('o'),
        s("raw", ""),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        d("timeout", "0s"),
        b("wait", "true"),
    ],
);

/// `kubectl rollout history`
const ROLLOUT_HISTORY: CommandSpec = CommandSpec::new(
    "history",
    &[
        b("allow-missing-template-keys", "true"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        i("revision", "0"),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl rollout pause`
const ROLLOUT_PAUSE: CommandSpec = CommandSpec::new(
    "pause",
    &[
        b("allow-missing-template-keys", "true"),
        s("field-manager", "kubectl-rollout"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl rollout restart`
const ROLLOUT_RESTART: CommandSpec = CommandSpec::new(
    "restart",
    &[
        b("allow-missing-template-keys", "true"),
        s("field-manager", "kubectl-rollout"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl rollout resume`
const ROLLOUT_RESUME: CommandSpec = CommandSpec::new(
    "resume",
    &[
        b("allow-missing-template-keys", "true"),
        s("field-manager", "kubectl-rollout"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl rollout status`
const ROLLOUT_STATUS: CommandSpec = CommandSpec::new(
    "status",
    &[
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("recursive", "false").short('R'),
        i("revision", "0"),
        s("selector", "").short('l'),
        d("timeout", "0s"),
        b("watch", "true").short('w'),
    ],
);

/// `kubectl rollout undo`
const ROLLOUT_UNDO: CommandSpec = CommandSpec::new(
    "undo",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        i("to-revision", "0"),
    ],
);

/// `kubectl rollout`
const ROLLOUT: CommandSpec = CommandSpec::new("rollout", &[])
    .subs(&[
        ROLLOUT_HISTORY,
        ROLLOUT_PAUSE,
        ROLLOUT_RESTART,
        ROLLOUT_RESUME,
        ROLLOUT_STATUS,
        ROLLOUT_UNDO,
    ])
    .run(RunKind::SubcommandRun(Stream::Stdout));

/// `kubectl scale`
const SCALE: CommandSpec = CommandSpec::new(
    "scale",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        i("current-replicas", "-1"),
        s("dry-run", "none").no_opt("unchanged"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        i("replicas", "0").required(),
        s("resource-version", ""),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        d("timeout", "0s"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl autoscale`
const AUTOSCALE: CommandSpec = CommandSpec::new(
    "autoscale",
    &[
        b("allow-missing-template-keys", "true"),
        i32f("cpu-percent", "-1"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-autoscale"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        i32f("max", "-1").required(),
        i32f("min", "-1"),
        s("name", ""),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl certificate approve`
const CERTIFICATE_APPROVE: CommandSpec = CommandSpec::new(
    "approve",
    &[
        b("allow-missing-template-keys", "true"),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl certificate deny`
const CERTIFICATE_DENY: CommandSpec = CommandSpec::new(
    "deny",
    &[
        b("allow-missing-template-keys", "true"),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl certificate`
const CERTIFICATE: CommandSpec = CommandSpec::new("certificate", &[])
    .subs(&[CERTIFICATE_APPROVE, CERTIFICATE_DENY])
    .run(RunKind::NotRunnable);

/// `kubectl cluster-info dump`
const CLUSTER_INFO_DUMP: CommandSpec = CommandSpec::new(
    "dump",
    &[
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        sl("namespaces", "[]"),
        s("output", "json").short('o'),
        s("output-directory", ""),
        d("pod-running-timeout", "20s"),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl cluster-info`
const CLUSTER_INFO: CommandSpec = CommandSpec::new("cluster-info", &[]).subs(&[CLUSTER_INFO_DUMP]);

/// `kubectl top node`
const TOP_NODE: CommandSpec = CommandSpec::new(
    "node",
    &[
        b("no-headers", "false"),
        s("selector", "").short('l'),
        b("show-capacity", "false"),
        s("sort-by", ""),
        b("use-protocol-buffers", "true"),
    ],
)
.aliases(&["nodes", "no"]);

/// `kubectl top pod`
const TOP_POD: CommandSpec = CommandSpec::new(
    "pod",
    &[
        b("all-namespaces", "false").short('A'),
        b("containers", "false"),
        s("field-selector", ""),
        b("no-headers", "false"),
        s("selector", "").short('l'),
        s("sort-by", ""),
        b("sum", "false"),
        b("use-protocol-buffers", "true"),
    ],
)
.aliases(&["pods", "po"]);

/// `kubectl top`
const TOP: CommandSpec = CommandSpec::new("top", &[])
    .subs(&[TOP_NODE, TOP_POD])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl cordon`
const CORDON: CommandSpec = CommandSpec::new(
    "cordon",
    &[s("dry-run", "none").no_opt("unchanged"), s("selector", "").short('l')],
);

/// `kubectl uncordon`
const UNCORDON: CommandSpec = CommandSpec::new(
    "uncordon",
    &[s("dry-run", "none").no_opt("unchanged"), s("selector", "").short('l')],
);

/// `kubectl drain`
const DRAIN: CommandSpec = CommandSpec::new(
    "drain",
    &[
        i("chunk-size", "500"),
        b("delete-emptydir-data", "false"),
        b("disable-eviction", "false"),
        s("dry-run", "none").no_opt("unchanged"),
        b("force", "false"),
        i("grace-period", "-1"),
        b("ignore-daemonsets", "false"),
        s("pod-selector", ""),
        s("selector", "").short('l'),
        i("skip-wait-for-delete-timeout", "0"),
        d("timeout", "0s"),
    ],
);

/// `kubectl taint`
const TAINT: CommandSpec = CommandSpec::new(
    "taint",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-taint"),
        s("output", "").short('o'),
        b("overwrite", "false"),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
    ],
);

/// `kubectl describe`
const DESCRIBE: CommandSpec = CommandSpec::new(
    "describe",
    &[
        b("all-namespaces", "false").short('A'),
        i("chunk-size", "500"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("show-events", "true"),
    ],
);

/// `kubectl logs`
const LOGS: CommandSpec = CommandSpec::new(
    "logs",
    &[
        b("all-containers", "false"),
        b("all-pods", "false"),
        s("container", "").short('c'),
        b("follow", "false").short('f'),
        b("ignore-errors", "false"),
        b("insecure-skip-tls-verify-backend", "false"),
        i("limit-bytes", "0"),
        i("max-log-requests", "5"),
        d("pod-running-timeout", "20s"),
        b("prefix", "false"),
        b("previous", "false").short('p'),
        s("selector", "").short('l'),
        d("since", "0s"),
        s("since-time", ""),
        i("tail", "-1"),
        b("timestamps", "false"),
    ],
);

/// `kubectl attach`
const ATTACH: CommandSpec = CommandSpec::new(
    "attach",
    &[
        s("container", "").short('c'),
        d("pod-running-timeout", "1m0s"),
        b("quiet", "false").short('q'),
        b("stdin", "false").short('i'),
        b("tty", "false").short('t'),
    ],
);

/// `kubectl exec`
const EXEC: CommandSpec = CommandSpec::new(
    "exec",
    &[
        s("container", "").short('c'),
        sl("filename", "[]").short('f'),
        d("pod-running-timeout", "1m0s"),
        b("quiet", "false").short('q'),
        b("stdin", "false").short('i'),
        b("tty", "false").short('t'),
    ],
);

/// `kubectl port-forward`
const PORT_FORWARD: CommandSpec = CommandSpec::new(
    "port-forward",
    &[sl("address", "[localhost]"), d("pod-running-timeout", "1m0s")],
);

/// `kubectl proxy`
const PROXY: CommandSpec = CommandSpec::new(
    "proxy",
    &[
        s("accept-hosts", "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$"),
        s("accept-paths", "^.*"),
        s("address", "127.0.0.1"),
        s("api-prefix", "/"),
        b("append-server-path", "false"),
        b("disable-filter", "false"),
        d("keepalive", "0s"),
        i("port", "8001").short('p'),
        s("reject-methods", "^$"),
        s("reject-paths", "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach"),
        s("unix-socket", "").short('u'),
        s("www", "").short('w'),
        s("www-prefix", "/static/").short('P'),
    ],
);

/// `kubectl cp`
const CP: CommandSpec = CommandSpec::new(
    "cp",
    &[
        s("container", "").short('c'),
        b("no-preserve", "false"),
        i("retries", "0"),
    ],
);

/// `kubectl auth can-i`
const AUTH_CAN_I: CommandSpec = CommandSpec::new(
    "can-i",
    &[
        b("all-namespaces", "false").short('A'),
        b("list", "false"),
        b("no-headers", "false"),
        b("quiet", "false").short('q'),
        s("subresource", ""),
    ],
);

/// `kubectl auth reconcile`
const AUTH_RECONCILE: CommandSpec = CommandSpec::new(
    "reconcile",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("remove-extra-permissions", "false"),
        b("remove-extra-subjects", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl auth whoami`
const AUTH_WHOAMI: CommandSpec = CommandSpec::new(
    "whoami",
    &[
        b("allow-missing-template-keys", "true"),
        s("output", "").short('o'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl auth`
const AUTH: CommandSpec = CommandSpec::new("auth", &[])
    .subs(&[AUTH_CAN_I, AUTH_RECONCILE, AUTH_WHOAMI])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl debug`
const DEBUG: CommandSpec = CommandSpec::new(
    "debug",
    &[
        b("arguments-only", "false"),
        b("attach", "false"),
        s("container", "").short('c'),
        s("copy-to", ""),
        s("custom", ""),
        FlagSpec::new("env", FlagKind::StringToString, "[]"),
        sl("filename", "[]").short('f'),
        s("image", ""),
        s("image-pull-policy", ""),
        b("keep-annotations", "false"),
        b("keep-init-containers", "true"),
        b("keep-labels", "false"),
        b("keep-liveness", "false"),
        b("keep-readiness", "false"),
        b("keep-startup", "false"),
        s("profile", "legacy"),
        b("quiet", "false").short('q'),
        b("replace", "false"),
        b("same-node", "false"),
        FlagSpec::new("set-image", FlagKind::StringToString, "[]"),
        b("share-processes", "true"),
        b("stdin", "false").short('i'),
        s("target", ""),
        b("tty", "false").short('t'),
    ],
);

/// `kubectl events`
const EVENTS: CommandSpec = CommandSpec::new(
    "events",
    &[
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        i("chunk-size", "500"),
        s("for", ""),
        b("no-headers", "false"),
        s("output", "").short('o'),
        b("show-managed-fields", "false"),
        s("template", ""),
        sl("types", "[]"),
        b("watch", "false").short('w'),
    ],
);

/// `kubectl diff`
const DIFF: CommandSpec = CommandSpec::new(
    "diff",
    &[
        i("concurrency", "1"),
        s("field-manager", "kubectl-client-side-apply"),
        sl("filename", "[]").short('f'),
        b("force-conflicts", "false"),
        s("kustomize", "").short('k'),
        b("prune", "false"),
        sa("prune-allowlist", "[]"),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("server-side", "false"),
        b("show-managed-fields", "false"),
    ],
)
.flag_errors(FlagErrors::Diff);

/// `kubectl apply edit-last-applied`
const APPLY_EDIT_LAST_APPLIED: CommandSpec = CommandSpec::new(
    "edit-last-applied",
    &[
        b("allow-missing-template-keys", "true"),
        s("field-manager", "kubectl-client-side-apply"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        b("recursive", "false").short('R'),
        b("show-managed-fields", "false"),
        s("template", ""),
        s("validate", "strict").no_opt("strict"),
        b("windows-line-endings", "false"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl apply set-last-applied`
const APPLY_SET_LAST_APPLIED: CommandSpec = CommandSpec::new(
    "set-last-applied",
    &[
        b("allow-missing-template-keys", "true"),
        b("create-annotation", "false"),
        s("dry-run", "none").no_opt("unchanged"),
        sl("filename", "[]").short('f'),
        s("output", "").short('o'),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl apply view-last-applied`
const APPLY_VIEW_LAST_APPLIED: CommandSpec = CommandSpec::new(
    "view-last-applied",
    &[
        b("all", "false"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        s("output", "yaml").short('o'),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
    ],
);

/// `kubectl apply`
const APPLY: CommandSpec = CommandSpec::new(
    "apply",
    &[
        b("all", "false"),
        b("allow-missing-template-keys", "true"),
        s("cascade", "background").no_opt("background"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-client-side-apply"),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        b("force-conflicts", "false"),
        i("grace-period", "-1"),
        s("kustomize", "").short('k'),
        b("openapi-patch", "true"),
        s("output", "").short('o'),
        b("overwrite", "true"),
        b("prune", "false"),
        sa("prune-allowlist", "[]"),
        b("recursive", "false").short('R'),
        s("selector", "").short('l'),
        b("server-side", "false"),
        b("show-managed-fields", "false"),
        s("subresource", ""),
        s("template", ""),
        d("timeout", "0s"),
        s("validate", "strict").no_opt("strict"),
        b("wait", "false"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
)
.subs(&[APPLY_EDIT_LAST_APPLIED, APPLY_SET_LAST_APPLIED, APPLY_VIEW_LAST_APPLIED]);

/// `kubectl patch`
const PATCH: CommandSpec = CommandSpec::new(
    "patch",
    &[
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-patch"),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("local", "false"),
        s("output", "").short('o'),
        s("patch", "").short('p'),
        s("patch-file", ""),
        b("recursive", "false").short('R'),
        b("show-managed-fields", "false"),
        s("subresource", ""),
        s("template", ""),
        s("type", "strategic"),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl replace`
const REPLACE: CommandSpec = CommandSpec::new(
    "replace",
    &[
        b("allow-missing-template-keys", "true"),
        s("cascade", "background").no_opt("background"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-replace"),
        sl("filename", "[]").short('f'),
        b("force", "false"),
        i("grace-period", "-1"),
        s("kustomize", "").short('k'),
        s("output", "").short('o'),
        s("raw", ""),
        b("recursive", "false").short('R'),
        b("save-config", "false"),
        b("show-managed-fields", "false"),
        s("subresource", ""),
        s("template", ""),
        d("timeout", "0s"),
        s("validate", "strict").no_opt("strict"),
        b("wait", "false"),
    ],
);

/// `kubectl wait`
const WAIT: CommandSpec = CommandSpec::new(
    "wait",
    &[
        b("all", "false"),
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        s("field-selector", ""),
        sl("filename", "[]").short('f'),
        s("for", ""),
        b("local", "false"),
        s("output", "").short('o'),
        b("recursive", "true").short('R'),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        d("timeout", "30s"),
    ],
);

/// `kubectl kustomize`
const KUSTOMIZE: CommandSpec = CommandSpec::new(
    "kustomize",
    &[
        b("as-current-user", "false"),
        b("enable-alpha-plugins", "false"),
        b("enable-helm", "false"),
        sa("env", "[]").short('e'),
        sa("helm-api-versions", "[]"),
        s("helm-command", "helm"),
        b("helm-debug", "false"),
        s("helm-kube-version", ""),
        s("load-restrictor", "LoadRestrictionsRootOnly"),
        sa("mount", "[]"),
        b("network", "false"),
        s("network-name", "bridge"),
        s("output", "").short('o'),
    ],
);

/// `kubectl label`
const LABEL: CommandSpec = CommandSpec::new(
    "label",
    &[
        b("all", "false"),
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-label"),
        s("field-selector", ""),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("list", "false"),
        b("local", "false"),
        s("output", "").short('o'),
        b("overwrite", "false"),
        b("recursive", "false").short('R'),
        s("resource-version", ""),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl annotate`
const ANNOTATE: CommandSpec = CommandSpec::new(
    "annotate",
    &[
        b("all", "false"),
        b("all-namespaces", "false").short('A'),
        b("allow-missing-template-keys", "true"),
        s("dry-run", "none").no_opt("unchanged"),
        s("field-manager", "kubectl-annotate"),
        s("field-selector", ""),
        sl("filename", "[]").short('f'),
        s("kustomize", "").short('k'),
        b("list", "false"),
        b("local", "false"),
        s("output", "").short('o'),
        b("overwrite", "false"),
        b("recursive", "false").short('R'),
        s("resource-version", ""),
        s("selector", "").short('l'),
        b("show-managed-fields", "false"),
        s("template", ""),
        b("record", "false").deprecated("--record will be removed in the future"),
    ],
);

/// `kubectl completion`
const COMPLETION: CommandSpec = CommandSpec::new("completion", &[]);

/// `kubectl alpha`
const ALPHA: CommandSpec = CommandSpec::new("alpha", &[]).run(RunKind::NotRunnable).hidden();

/// `kubectl config current-context`
const CONFIG_CURRENT_CONTEXT: CommandSpec = CommandSpec::new("current-context", &[]);

/// `kubectl config delete-cluster`
const CONFIG_DELETE_CLUSTER: CommandSpec = CommandSpec::new("delete-cluster", &[]);

/// `kubectl config delete-context`
const CONFIG_DELETE_CONTEXT: CommandSpec = CommandSpec::new("delete-context", &[]);

/// `kubectl config delete-user`
const CONFIG_DELETE_USER: CommandSpec = CommandSpec::new("delete-user", &[]);

/// `kubectl config get-clusters`
const CONFIG_GET_CLUSTERS: CommandSpec = CommandSpec::new("get-clusters", &[]);

/// `kubectl config get-contexts`
const CONFIG_GET_CONTEXTS: CommandSpec =
    CommandSpec::new("get-contexts", &[b("no-headers", "false"), s("output", "").short('o')]);

/// `kubectl config get-users`
const CONFIG_GET_USERS: CommandSpec = CommandSpec::new("get-users", &[]);

/// `kubectl config rename-context`
const CONFIG_RENAME_CONTEXT: CommandSpec = CommandSpec::new("rename-context", &[]);

/// `kubectl config set`
const CONFIG_SET: CommandSpec = CommandSpec::new("set", &[b("set-raw-bytes", "false")]);

/// `kubectl config set-cluster`
const CONFIG_SET_CLUSTER: CommandSpec = CommandSpec::new(
    "set-cluster",
    &[
        s("certificate-authority", ""),
        b("embed-certs", "false"),
        b("insecure-skip-tls-verify", "false"),
        s("proxy-url", ""),
        s("server", ""),
        s("tls-server-name", ""),
    ],
);

/// `kubectl config set-context`
const CONFIG_SET_CONTEXT: CommandSpec = CommandSpec::new(
    "set-context",
    &[
        s("cluster", ""),
        b("current", "false"),
        s("namespace", ""),
        s("user", ""),
    ],
);

/// `kubectl config set-credentials`
const CONFIG_SET_CREDENTIALS: CommandSpec = CommandSpec::new(
    "set-credentials",
    &[
        s("auth-provider", ""),
        sl("auth-provider-arg", "[]"),
        s("client-certificate", ""),
        s("client-key", ""),
        b("embed-certs", "false"),
        s("exec-api-version", ""),
        sl("exec-arg", "[]"),
        s("exec-command", ""),
        sa("exec-env", "[]"),
        s("exec-interactive-mode", ""),
        b("exec-provide-cluster-info", "false"),
        s("password", ""),
        s("token", ""),
        s("username", ""),
    ],
);

/// `kubectl config unset`
const CONFIG_UNSET: CommandSpec = CommandSpec::new("unset", &[]);

/// `kubectl config use-context`
const CONFIG_USE_CONTEXT: CommandSpec = CommandSpec::new("use-context", &[]).aliases(&["use"]);

/// `kubectl config view`
const CONFIG_VIEW: CommandSpec = CommandSpec::new(
    "view",
    &[
        b("allow-missing-template-keys", "true"),
        b("flatten", "false"),
        b("merge", "true"),
        b("minify", "false"),
        s("output", "yaml").short('o'),
        b("raw", "false"),
        b("show-managed-fields", "false"),
        s("template", ""),
    ],
);

/// `kubectl config`
const CONFIG: CommandSpec = CommandSpec::new("config", &[])
    .subs(&[
        CONFIG_CURRENT_CONTEXT,
        CONFIG_DELETE_CLUSTER,
        CONFIG_DELETE_CONTEXT,
        CONFIG_DELETE_USER,
        CONFIG_GET_CLUSTERS,
        CONFIG_GET_CONTEXTS,
        CONFIG_GET_USERS,
        CONFIG_RENAME_CONTEXT,
        CONFIG_SET,
        CONFIG_SET_CLUSTER,
        CONFIG_SET_CONTEXT,
        CONFIG_SET_CREDENTIALS,
        CONFIG_UNSET,
        CONFIG_USE_CONTEXT,
        CONFIG_VIEW,
    ])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl plugin list`
const PLUGIN_LIST: CommandSpec = CommandSpec::new("list", &[b("name-only", "false")]);

/// `kubectl plugin`
const PLUGIN: CommandSpec = CommandSpec::new("plugin", &[])
    .subs(&[PLUGIN_LIST])
    .run(RunKind::SubcommandRun(Stream::Stderr));

/// `kubectl version`
const VERSION: CommandSpec = CommandSpec::new("version", &[b("client", "false"), s("output", "").short('o')]);

/// `kubectl api-versions`
const API_VERSIONS: CommandSpec = CommandSpec::new("api-versions", &[]);

/// `kubectl api-resources`
const API_RESOURCES: CommandSpec = CommandSpec::new(
    "api-resources",
    &[
        s("api-group", ""),
        b("cached", "false"),
        sl("categories", "[]"),
        b("namespaced", "true"),
        b("no-headers", "false"),
        s("output", "").short('o'),
        s("sort-by", ""),
        sl("verbs", "[]"),
    ],
);

/// `kubectl options`
const OPTIONS: CommandSpec = CommandSpec::new("options", &[]).flag_errors(FlagErrors::Options);

/// kubectl v1.32: the root command, its global options and every top-level command in the order
/// kubectl adds them (the order of "Did you mean this?").
pub static KUBECTL: CommandSpec = CommandSpec::new("kubectl", &[])
    .subs(&[
        CREATE,
        EXPOSE,
        RUN,
        SET,
        EXPLAIN,
        GET,
        EDIT,
        DELETE,
        ROLLOUT,
        SCALE,
        AUTOSCALE,
        CERTIFICATE,
        CLUSTER_INFO,
        TOP,
        CORDON,
        UNCORDON,
        DRAIN,
        TAINT,
        DESCRIBE,
        LOGS,
        ATTACH,
        EXEC,
        PORT_FORWARD,
        PROXY,
        CP,
        AUTH,
        DEBUG,
        EVENTS,
        DIFF,
        APPLY,
        PATCH,
        REPLACE,
        WAIT,
        KUSTOMIZE,
        LABEL,
        ANNOTATE,
        COMPLETION,
        ALPHA,
        CONFIG,
        PLUGIN,
        VERSION,
        API_VERSIONS,
        API_RESOURCES,
        OPTIONS,
    ])
    .run(RunKind::NotRunnable)
    .persistent(&[
        s("as", ""),
        sa("as-group", "[]"),
        s("as-uid", ""),
        s("cache-dir", "/root/.kube/cache"),
        s("certificate-authority", ""),
        s("client-certificate", ""),
        s("client-key", ""),
        s("cluster", ""),
        s("context", ""),
        b("disable-compression", "false"),
        b("insecure-skip-tls-verify", "false"),
        s("kubeconfig", ""),
        FlagSpec::new("log-flush-frequency", FlagKind::GoDuration, "5s"),
        b("match-server-version", "false"),
        s("namespace", "").short('n'),
        s("password", ""),
        s("profile", "none"),
        s("profile-output", "profile.pprof"),
        s("request-timeout", "0"),
        s("server", "").short('s'),
        s("tls-server-name", ""),
        s("token", ""),
        s("user", ""),
        s("username", ""),
        FlagSpec::new("v", FlagKind::Level, "0").short('v'),
        FlagSpec::new("vmodule", FlagKind::VModule, ""),
        b("warnings-as-errors", "false"),
    ]);
// @generated-end
