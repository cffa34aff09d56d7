import Foundation
import Testing

@testable import WorkbenchCore

/// The columns `--model`, `--provider` and `--modes` make: a product with the template columns,
/// each carrying the provider, model and mode it sends with, labelled by what varies.
@Suite("Eval columns: models, providers and modes")
struct EvalColumnsTests {
    static let disk = EvalColumns.TemplateColumn(
        label: "qa/knowledge-base", source: .file(path: "prompts/qa/knowledge-base.md"), model: nil)
    static let head = EvalColumns.TemplateColumn(
        label: "qa/knowledge-base@HEAD", source: .git(rev: "HEAD", sha: "abc"), model: nil)

    static func make(
        _ templates: [EvalColumns.TemplateColumn] = [disk], providers: [String] = ["sim"], models: [String] = [],
        modes: [RunMode] = [.stream]
    ) -> [(variant: EvalVariant, column: EvalColumn)] {
        EvalColumns.make(
            templates: templates, providers: providers, models: models, modes: modes,
            defaultModel: { $0 == "local" ? "smollm2" : "glm-4-32b-0414-128k" })
    }

    @Test("no flags: one column, labelled as before, carrying the provider's default model and the stream mode")
    func single() {
        let c = Self.make()
        #expect(c.count == 1)
        #expect(
            c[0].variant
                == EvalVariant(
                    id: "A", label: "qa/knowledge-base", source: Self.disk.source,
                    provider: "sim", model: "glm-4-32b-0414-128k", mode: .stream))
        #expect(
            c[0].column
                == EvalColumn(
                    templateIndex: 0, provider: "sim", model: "glm-4-32b-0414-128k", modelFromFlag: false, mode: .stream
                ))
    }

    @Test("a template's own model: is the column's model unless --model overrides it")
    func templateModel() {
        var t = Self.disk
        t.model = "glm-4.5"
        #expect(Self.make([t])[0].column.model == "glm-4.5")
        let flagged = Self.make([t], models: ["glm-4-flash"])[0].column
        #expect(flagged.model == "glm-4-flash")
        #expect(flagged.modelFromFlag)
    }

    @Test("two --model: two columns of the same template, labelled @model, the second's source is {kind: model}")
    func twoModels() {
        let c = Self.make(models: ["glm-4-flash", "glm-4.5"])
        #expect(c.map(\.variant.label) == ["qa/knowledge-base @glm-4-flash", "qa/knowledge-base @glm-4.5"])
        #expect(c.map(\.variant.id) == ["A", "B"])
        #expect(c.map(\.column.model) == ["glm-4-flash", "glm-4.5"])
        #expect(c[1].variant.source == .model(model: "glm-4.5", provider: nil))
        #expect(c[1].variant.source.json == .object(["kind": .string("model"), "model": .string("glm-4.5")]))
    }

    @Test("two --provider: each column resolves its own provider's default model; labels name the provider")
    func twoProviders() {
        let c = Self.make(providers: ["sim", "local"])
        #expect(c.map(\.variant.label) == ["qa/knowledge-base @sim", "qa/knowledge-base @local"])
        #expect(c.map(\.column.provider) == ["sim", "local"])
        #expect(c.map(\.column.model) == ["glm-4-32b-0414-128k", "smollm2"])
        #expect(c[1].variant.source == .provider("local"))
        let both = Self.make(providers: ["sim", "local"], models: ["m1", "m2"])
        #expect(
            both.map(\.variant.label) == [
                "qa/knowledge-base @sim:m1", "qa/knowledge-base @sim:m2",
                "qa/knowledge-base @local:m1", "qa/knowledge-base @local:m2",
            ])
    }

    @Test(
        "--modes stream,non-stream × two models × two templates: a product, nested template › provider › model › mode")
    func product() {
        let c = Self.make([Self.disk, Self.head], models: ["a", "b"], modes: [.stream, .nonStream])
        #expect(c.count == 8)
        #expect(c.map(\.variant.id) == ["A", "B", "C", "D", "E", "F", "G", "H"])
        #expect(
            c.prefix(4).map(\.variant.label) == [
                "qa/knowledge-base @a · stream", "qa/knowledge-base @a · non-stream",
                "qa/knowledge-base @b · stream", "qa/knowledge-base @b · non-stream",
            ])
        #expect(
            c.map(\.column.mode) == [
                .stream, .nonStream, .stream, .nonStream, .stream, .nonStream, .stream, .nonStream,
            ])
        #expect(c[1].variant.source == .mode("non-stream"))
        #expect(
            c[4].variant.source == Self.head.source, "a column of another revision keeps the revision as its source")
        #expect(c[4].variant.label == "qa/knowledge-base@HEAD @a · stream")
        #expect(Set(c.map(\.variant.id)).count == 8)
    }

    @Test("column ids never repeat: A…Z, then AA, AB…")
    func ids() {
        #expect(EvalVariantID.make(0) == "A")
        #expect(EvalVariantID.make(25) == "Z")
        #expect(EvalVariantID.make(26) == "AA")
        #expect(EvalVariantID.make(27) == "AB")
        #expect(EvalVariantID.make(26 * 27) == "AAA")
        #expect(Set((0..<1000).map(EvalVariantID.make)).count == 1000)
    }

    @Test(
        "--modes: stream, non-stream or both; anything else is refused with the spellings",
        arguments: [
            ("stream", [RunMode.stream]), ("non-stream", [.nonStream]), ("stream,non-stream", [.stream, .nonStream]),
            ("non-stream, stream", [.nonStream, .stream]),
        ])
    func modes(_ text: String, _ want: [RunMode]) throws {
        #expect(try EvalModes.parse(text) == want)
    }

    @Test(
        "absurd --modes values",
        arguments: [
            "", ",", "stream,", "streaming", "stream,stream", "STREAM", String(repeating: "stream,", count: 100),
        ])
    func badModes(_ text: String) {
        #expect(throws: EvalModes.ParseError.self) { try EvalModes.parse(text) }
    }

    @Test("a variant with its provider, model and mode goes into the log's JSON and comes back the same")
    func variantRoundTrip() {
        for v in Self.make(
            [Self.disk, Self.head], providers: ["sim", "local"], models: ["a", "b"], modes: [.stream, .nonStream]
        ).map(\.variant) {
            #expect(EvalVariant(json: v.json) == v)
        }
        let old = EvalVariant(
            json: .object(["id": .string("A"), "label": .string("x"), "source": .object(["kind": .string("file")])]))
        #expect(
            old == EvalVariant(id: "A", label: "x", source: .file(path: nil)),
            "an older log without the fields still reads")
    }

    @Test("a provider's default model is known from its name alone")
    func defaultModels() {
        var config = WorkbenchConfig()
        config.providers["vllm"] = .init(baseURL: "http://127.0.0.1:8000/v1", model: "qwen")
        let r = ProviderResolver(environment: [:], config: config)
        #expect(r.defaultModel(for: "local") == Provider.localModel)
        #expect(r.defaultModel(for: "zai") == Provider.glmModel)
        #expect(r.defaultModel(for: "vllm") == "qwen")
    }
}
