import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb compare`: the same request streamed and non-streamed, and everything that differs.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Send one request streamed and non-streamed (concurrently by default) and print what differs.")

    @Argument(help: "The prompt. Read from stdin when omitted and stdin is not a terminal (not with --template).")
    var prompt: String?

    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var templateOptions: TemplateOptions
    @OptionGroup var requestOptions: RequestOptions

    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("web-search"), help: "Offer Z.AI's built-in web search in both requests.")
    var webSearch = false

    @Flag(help: "Run the non-streaming request after the streaming one instead of at the same time.")
    var sequential = false

    @Option(name: .customLong("repeat"), help: "Run each mode N times and group identical answers with counts.")
    var repeats: Int = 1

    @Flag(help: "One JSON object: stream and non_stream (run records as `glmwb run --json` prints them) and differences.")
    var json = false

    func validate() throws {
        guard (1...20).contains(repeats) else { throw ValidationError("--repeat must be between 1 and 20") }
    }

    func run() async throws {
        output.apply()
        let (text, rendered, params) = try await requestOptions.resolve(prompt: prompt, templateOptions: templateOptions, providerOptions: providerOptions)
        // Read before the workbench opens: nothing may throw between open and close.
        var fileTools: [ToolSpec]?
        if rendered == nil, let path = templateOptions.tools {
            let defs = try usageOnTemplateError { () throws(TemplateError) in try ToolsFile.load(path: path) }
            fileTools = defs.filter { $0.spec.type != "mcp_server" }.map(\.spec)
        }
        let services = try await Services.open(providerOptions)
        let session = services.session(system: requestOptions.system)
        var request: ChatRequest
        if var r = rendered {
            r.parameters = params
            if let s = requestOptions.system { r.system = s }
            request = r.request(defaultModel: services.provider.defaultModel)
        } else {
            request = await session.request(for: text, parameters: params)
        }
        request.stream = nil
        // Tools are offered so their calls can be compared; a comparison never runs them.
        if let fileTools { request.tools = fileTools }
        if webSearch { request.tools = (request.tools ?? []).filter { $0.type != "web_search" } + [.webSearch] }
        if request.tools?.isEmpty == true { request.tools = nil }
        if !json {
            FileHandle.standardError.write(Data("[glmwb] comparing on \(services.provider.name) · \(request.model) · \(sequential ? "sequential" : "concurrent")\(repeats > 1 ? " · \(repeats)× each" : "")…\n".utf8))
        }
        let interrupt = InterruptWatcher { Task { await session.cancelAll() } }
        var collector = CompareCollector(glmRules: services.provider.servesGLM)
        var notes: [String] = []
        for await batches in await session.compare(request, sequential: sequential, repeats: repeats) {
            for b in batches {
                collector.add(b)
                // A field the model does not take is dropped from both runs: said once.
                for case .started(let s) in b.events {
                    for n in s.notes where !notes.contains(n) {
                        notes.append(n)
                        Console.err("[glmwb] note: \(n)\n")
                    }
                }
            }
        }
        interrupt.stop()
        try? await services.log.flush()
        let stored = collector.stored(for: request, conversationId: session.conversationId, createdAt: Date())
        guard let report = collector.report(for: request), let stored else {
            await services.close()
            throw CLIFailure.api("the comparison did not finish (cancelled or a run never ended)")
        }
        services.log.recordComparison(stored)
        try? await services.log.flush()
        await services.close()
        // From memory when the log could not store them: the comparison is printed either way.
        guard let streamRecord = services.log.record(runId: report.stream.runId),
              let nonStreamRecord = services.log.record(runId: report.nonStream.runId) else {
            throw CLIFailure.api("the compared runs are not in the log")
        }
        if json {
            var o: [String: JSONValue] = [
                "comparison_id": .string(stored.id),
                "stream": RunRecordJSON.object(streamRecord),
                "non_stream": RunRecordJSON.object(nonStreamRecord),
                "differences": .array(report.differences.map(JSONValue.string)),
                "sampling": .bool(report.samplingOn),
                "verdict": .string(report.verdict),
                "mode": .string(sequential ? "sequential" : "concurrent"),
            ]
            if repeats > 1 { o["repeats"] = Self.groupsJSON(collector.groups, n: repeats) }
            Console.json(.object(o))
        } else {
            Console.out(CompareTable.text(report, groups: repeats > 1 ? collector.groups : nil, repeats: repeats) + "\n")
        }
        if let f = services.log.failure {
            Console.err("[glmwb] \(f)\n")
            throw ExitCode(3)
        }
        if report.stream.status != .ok || report.nonStream.status != .ok { throw ExitCode(1) }
    }

    static func groupsJSON(_ groups: [AnswerGroup], n: Int) -> JSONValue {
        .object([
            "n": .number(Double(n)),
            "groups": .array(groups.map { g in
                .object([
                    "content": .string(g.content),
                    "tool_calls": .array(g.toolCalls.map { .string($0.description) }),
                    "stream": .number(Double(g.streamRuns.count)),
                    "non_stream": .number(Double(g.nonStreamRuns.count)),
                    "run_ids": .array((g.streamRuns + g.nonStreamRuns).map(JSONValue.string)),
                ])
            }),
        ])
    }
}

/// The comparison as a plain-text table (the CLI's output; the workbench draws its own).
enum CompareTable {
    static func text(_ r: ComparisonReport, groups: [AnswerGroup]?, repeats: Int) -> String {
        let rows = r.rows
        let w0 = rows.map(\.field.count).max() ?? 10
        let w1 = max(10, min(44, rows.map(\.stream.count).max() ?? 10))
        func pad(_ s: String, _ w: Int) -> String {
            let cut = s.count > w ? String(s.prefix(w - 1)) + "…" : s
            return cut + String(repeating: " ", count: max(0, w - cut.count))
        }
        var out = pad("", w0) + "  " + pad("stream", w1) + "  " + pad("non-stream", w1) + "  same\n"
        for row in rows {
            let mark = row.same.map { $0 ? "✔" : "✘" } ?? ""
            out += pad(row.field, w0) + "  " + pad(row.stream, w1) + "  " + pad(row.nonStream, w1) + "  " + mark + "\n"
        }
        if !r.textIdentical {
            out += "\nword diff (non-stream → stream; [-removed-] {+added+}):\n"
            for op in r.wordDiff {
                switch op {
                case .same(let t): out += t
                case .removed(let t): out += "[-" + t.trimmingCharacters(in: .whitespaces) + "-]" + (t.last?.isWhitespace == true ? " " : "")
                case .added(let t): out += "{+" + t.trimmingCharacters(in: .whitespaces) + "+}" + (t.last?.isWhitespace == true ? " " : "")
                }
            }
            out += "\n"
        }
        if let groups {
            out += "\n\(repeats)× each mode, identical answers grouped:\n"
            for (i, g) in groups.enumerated() {
                let preview = g.content.replacingOccurrences(of: "\n", with: " ")
                out += "  #\(i + 1)  stream \(g.streamRuns.count)/\(repeats) · non-stream \(g.nonStreamRuns.count)/\(repeats)  "
                    + (g.toolCalls.isEmpty ? "" : g.toolCalls.map(\.description).joined(separator: ", ") + " ")
                    + (preview.count > 60 ? String(preview.prefix(60)) + "…" : preview) + "\n"
            }
        }
        out += "\n" + r.verdict
        return out
    }
}
