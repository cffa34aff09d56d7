import Foundation

/// A conversation with one provider: its history, its runs, their cancellation and logging.
///
/// The session is an actor so the TUI and the CLI can share it from any task; network reads and
/// parsing happen in the run's own task, never on the caller's (in the TUI, the main) actor.
public actor Session {
    public nonisolated let conversationId: String
    public nonisolated let provider: Provider
    /// The conversation so far, without the system prompt.
    public private(set) var history: [ChatMessage]
    public var system: String?
    public var estimator = TokenEstimator()
    public var retry: RetryPolicy = .standard
    /// The most bytes one SSE line or event (or a whole non-stream body) may hold.
    public var maxEventBytes = SSEParser.defaultMaxEventBytes
    /// Whether a cancelled or interrupted reply (and the prompt it answers) joins the history the
    /// next request sends. Off by default: a reply the user stopped is rarely what they want the
    /// model to build on, and sending it silently made the model see text the user discarded.
    public private(set) var sendsCancelledReplies = false
    /// Whether a run's consumer sees it as it goes: its text as it arrives (`.delta` and
    /// `.reasoning` events) and each read's raw payloads and counts. A front end that reads only
    /// the result (`glmwb run --json`) turns it off, and is handed each run's start, what is not
    /// progress (tool calls, usage, notes) and its end. A full-speed stream is one text event per
    /// token and a batch per network read: each built, passed, woken for and skipped for nothing
    /// (issue 15). The reply is whole in the result, the log and the figures either way.
    public private(set) var streamsProgress = true

    private let transport: ChatTransport
    let log: RunLog?
    private let prices: PriceTable
    var tasks: [String: Task<Void, Never>] = [:]
    /// The conversation's last request body, so the next one encodes only what it adds.
    private var bodies = RequestBodyEncoder()

    public init(provider: Provider, transport: ChatTransport, log: RunLog?, prices: PriceTable = .builtIn,
                conversationId: String? = nil, system: String? = nil, history: [ChatMessage] = [],
                maxEventBytes: Int = SSEParser.defaultMaxEventBytes) {
        self.maxEventBytes = max(1, maxEventBytes)
        self.provider = provider
        self.transport = transport
        self.log = log
        self.prices = prices
        self.conversationId = conversationId ?? RunID.make()
        self.system = system
        self.history = history
    }

    public func configure(retry: RetryPolicy) { self.retry = retry }

    public func configure(maxEventBytes: Int) { self.maxEventBytes = max(1, maxEventBytes) }

    public func configure(sendsCancelledReplies: Bool) { self.sendsCancelledReplies = sendsCancelledReplies }

    /// Whether a finished run's prompt and reply join the history later requests send. The one
    /// rule: the session applies it when a run ends, and the workbench applies it to say on
    /// screen which turns the model will see (and to rewind to the right user turn).
    /// - ok: kept. Cancelled or interrupted: kept only when `sendCancelled` and there is
    ///   something to keep. Failed: never. A content-filtered reply is never fed back
    ///   (zai-api.md §4).
    public static func keepsInHistory(_ r: RunResult, sendCancelled: Bool) -> Bool {
        guard r.error?.kind != .contentFilter else { return false }
        switch r.status {
        case .ok: return true
        case .cancelled, .interrupted: return sendCancelled && (!r.content.isEmpty || !r.toolCalls.isEmpty)
        case .failed, .running: return false
        }
    }

    public func setSystem(_ text: String?) { system = text }

    /// The request a new user turn would send: system prompt, history, the new message.
    public func request(for text: String, parameters: RequestParameters) -> ChatRequest {
        Self.request(system: system, history: history, text: text, parameters: parameters, defaultModel: provider.defaultModel)
    }

    /// The same request without a session (a dry run): system prompt, history, the message.
    public static func request(system: String?, history: [ChatMessage], text: String, parameters: RequestParameters,
                               defaultModel: String) -> ChatRequest {
        var messages: [ChatMessage] = []
        if let system, !system.isEmpty { messages.append(.system(system)) }
        messages += history
        messages.append(.user(text))
        var req = ChatRequest(model: parameters.model ?? defaultModel, messages: messages)
        parameters.apply(to: &req)
        return req
    }

    /// Sends a user turn; on success the turn and the reply join the history.
    public func submit(_ text: String, parameters: RequestParameters, mode: RunMode) -> AsyncStream<[RunEvent]> {
        run(request(for: text, parameters: parameters), mode: mode, updatesHistory: true)
    }

    /// Sends a rendered template as the next user turn: its system prompt becomes the
    /// conversation's, its few-shot turns go before the message, and the run records the
    /// template's name and values.
    public func submit(_ rendered: RenderedTemplate, mode: RunMode) -> AsyncStream<[RunEvent]> {
        system = rendered.system
        let req = rendered.request(defaultModel: provider.defaultModel, history: history)
        return run(req, mode: mode, updatesHistory: true, templateName: rendered.template, templateVariables: rendered.values)
    }

    /// Runs an arbitrary request in this conversation. `updatesHistory` makes its messages plus
    /// the reply the new history (how a user turn is committed).
    public func run(_ request: ChatRequest, mode: RunMode, updatesHistory: Bool = false, parentRunId: String? = nil,
                    templateName: String? = nil, templateVariables: [String: String]? = nil) -> AsyncStream<[RunEvent]> {
        var req = request
        req.stream = mode == .stream ? true : nil
        // Fields the model does not take are dropped (said once in the run's notes), not sent
        // for the API to refuse.
        let notes = provider.servesGLM ? req.dropUnaccepted() : []
        let region = WebSearchEngines.region(of: provider.baseURL)
        let engineProblems = provider.servesGLM ? req.settleSearchEngines(region: region) : []
        let runId = RunID.make()
        // Encoded once, each message once (`RequestBodyEncoder`): the body sent is these bytes,
        // and the logged text is the same bytes (a long conversation's request is megabytes, and
        // each encoding or copy of it was a cost per reply).
        let (body, requestJSON) = (try? bodies.encode(req)) ?? (Data("{}".utf8), "{}")
        let start = RunStart(runId: runId, conversationId: conversationId, parentRunId: parentRunId, provider: provider.name,
                             baseURL: provider.loggableBaseURL, model: req.model, mode: mode, request: req,
                             requestJSON: requestJSON, templateName: templateName, templateVariables: templateVariables,
                             startedAt: Date(), promptEstimate: estimator.estimate(req),
                             price: prices.cost(usage: Usage(promptTokens: 0, completionTokens: 0), basis: .estimated, provider: provider,
                                                model: req.model, webSearchUses: 0).price, notes: notes)
        let executor = RunExecutor(
            start: start, provider: provider, transport: transport, prices: prices, estimator: estimator, retry: retry,
            maxEventBytes: maxEventBytes, streamsText: streamsProgress)
        // The model table's limits hold on GLM endpoints only: another server's model of the same
        // name has the window its server gives it.
        var problems = engineProblems + req.validationErrors(glmRules: provider.servesGLM)
        if provider.servesGLM { problems += req.limitProblems(promptEstimate: start.promptEstimate) }
        let log = self.log
        let handsOnProgress = streamsProgress
        let headers = ExtraHeader.logged(provider.extraHeaders)
        let (stream, continuation) = AsyncStream<[RunEvent]>.makeStream()
        let task = Task { [weak self] in
            continuation.yield([.started(start)])
            log?.begin(start, extraHeaders: headers)
            let terminal: RunEvent
            if problems.isEmpty {
                terminal = await executor.execute(body: body) { batch in
                    log?.record(runId: runId, batch)
                    if handsOnProgress {
                        continuation.yield(batch)
                    } else if batch.contains(where: { !$0.isRecordOnly }) {
                        continuation.yield(batch.filter { !$0.isRecordOnly })
                    }
                    // Reading on while the log is far behind would hold the stream in memory.
                    await log?.waitForWriter()
                }
            } else {
                terminal = executor.rejected(RunError(kind: .invalidRequest, message: problems.joined(separator: "; ")))
                continuation.yield([terminal])
            }
            if let result = terminal.result { log?.finish(result) }
            await self?.completed(runId: runId, request: req, terminal: terminal, updatesHistory: updatesHistory, promptEstimate: start.promptEstimate)
            continuation.finish()
        }
        tasks[runId] = task
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Cancels one run: the HTTP request stops at once; the partial reply is reported (and
    /// logged) marked cancelled, and joins the history only when `sendsCancelledReplies`.
    public func cancel(runId: String) { tasks[runId]?.cancel() }

    public func setStreamsProgress(_ on: Bool) { streamsProgress = on }

    public func cancelAll() { for t in tasks.values { t.cancel() } }

    public var activeRunIds: [String] { Array(tasks.keys) }

    /// Starts a new conversation in the same session settings.
    public func reset() {
        history = []
        bodies = RequestBodyEncoder()
    }

    /// Drops the k-th user message (0-based) and everything after it, so that turn can be sent
    /// again (regenerate) or replaced (edit and resend). The dropped runs stay in the log.
    public func rewind(toUserTurn k: Int) {
        var seen = -1
        for (i, m) in history.enumerated() where m.role == .user {
            seen += 1
            if seen == k {
                history = Array(history[..<i])
                return
            }
        }
    }

    private func completed(runId: String, request: ChatRequest, terminal: RunEvent, updatesHistory: Bool, promptEstimate: Int) {
        tasks[runId] = nil
        if let r = terminal.result, r.usageSource == .reported {
            estimator = estimator.calibrated(promptEstimate: promptEstimate, reportedPromptTokens: r.usage.promptTokens)
        }
        guard updatesHistory, let r = terminal.result, Self.keepsInHistory(r, sendCancelled: sendsCancelledReplies) else { return }
        history = request.messages.filter { $0.role != .system }
        var reply = ChatMessage.assistant(r.content, toolCalls: r.toolCalls.isEmpty ? nil : r.toolCalls)
        // Preserved thinking (`clear_thinking: false`): the docs ask for every earlier turn's
        // reasoning back, complete and unmodified; otherwise history is the answers alone.
        if request.thinking?.clearThinking == false, !r.reasoning.isEmpty { reply.reasoningContent = r.reasoning }
        history.append(reply)
    }
}

/// Short random ids for runs and conversations: 12 hex digits are unique enough for one user's
/// log and short enough to type (`glmwb logs show 3f9a` accepts any unique prefix).
public enum RunID {
    public static func make() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
    }
}
