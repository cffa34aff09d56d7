import Foundation

/// What Core needs from outside to evaluate `command` and `judge` assertions: a process runner
/// and a model call. The runner implements it (command tools' limits and process-group rules; the
/// configured judge at temperature 0, logged as its own run); tests use fakes. Core builds the
/// inputs and reads the outputs, so what a verdict means is decided in one place.
public protocol EvalAssertionServices: Sendable {
    /// Runs `argv` (no shell) with `stdin` as its standard input.
    func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome
    /// Asks the judge model; `request.messages` are built by `EvalJudge`.
    func judge(_ request: EvalJudgeRequest) async -> EvalJudgeReply
}

/// How a `command` check ended.
public struct EvalCommandOutcome: Sendable, Equatable {
    /// The exit status when the program exited; nil when it did not (see `failure`).
    public var exitStatus: Int32?
    public var stdout: String
    public var stderr: String
    /// Why no exit status exists: it could not start, timed out, was killed, wrote too much.
    public var failure: String?

    public init(exitStatus: Int32?, stdout: String = "", stderr: String = "", failure: String? = nil) {
        self.exitStatus = exitStatus
        self.stdout = stdout
        self.stderr = stderr
        self.failure = failure
    }
}

/// A judge request, ready to send: the model and provider (nil = the configured judge), the
/// messages, and the rubric for the record.
public struct EvalJudgeRequest: Sendable, Equatable {
    public var rubric: String
    public var provider: String?
    public var model: String?
    /// `system` then `user`; to be sent in JSON mode at temperature 0 / `do_sample: false`.
    public var system: String
    public var user: String

    public init(rubric: String, provider: String?, model: String?, system: String, user: String) {
        self.rubric = rubric
        self.provider = provider
        self.model = model
        self.system = system
        self.user = user
    }
}

/// The judge's answer: its text (nil when the call failed), what it cost and where it is logged.
public struct EvalJudgeReply: Sendable, Equatable {
    public var text: String?
    /// Why there is no text (an API error, a cancelled run).
    public var failure: String?
    public var costUSD: Decimal?
    public var runId: String?
    /// The model that answered.
    public var model: String?

    public init(text: String?, failure: String? = nil, costUSD: Decimal? = nil, runId: String? = nil, model: String? = nil) {
        self.text = text
        self.failure = failure
        self.costUSD = costUSD
        self.runId = runId
        self.model = model
    }
}

/// For re-scoring without sending anything (`eval rescore`) or where no runner is wired: every
/// `command` and `judge` assertion is unscored, saying why.
public struct EvalNoServices: EvalAssertionServices {
    public var why: String

    public init(why: String = "not run here") { self.why = why }

    public func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome {
        EvalCommandOutcome(exitStatus: nil, failure: why)
    }

    public func judge(_ request: EvalJudgeRequest) async -> EvalJudgeReply {
        EvalJudgeReply(text: nil, failure: why)
    }
}
