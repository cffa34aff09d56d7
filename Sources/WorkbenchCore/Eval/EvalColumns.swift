/// What one column sends: which template (index into the evaluation's templates), on which
/// provider and model, in which streaming mode. The runner needs no more to run its cells.
public struct EvalColumn: Sendable, Equatable {
    public var templateIndex: Int
    public var provider: String
    /// The model the cells ask for: `--model`, else the template's, else the provider's default.
    public var model: String
    /// Whether `--model` set it (it then overrides the template's `model:`).
    public var modelFromFlag: Bool
    public var mode: RunMode

    public init(templateIndex: Int, provider: String, model: String, modelFromFlag: Bool, mode: RunMode) {
        self.templateIndex = templateIndex
        self.provider = provider
        self.model = model
        self.modelFromFlag = modelFromFlag
        self.mode = mode
    }
}

/// The columns of an evaluation: every template column (on disk, `--variant`, `--against`) ×
/// every `--provider` × every `--model` × every `--modes` entry, in that nesting, so the columns
/// of one template sit side by side. The first of each list is the one `glmwb run` would use;
/// only a dimension with more than one value shows in the labels, so a plain evaluation keeps
/// its plain column name.
public enum EvalColumns {
    /// A template column before models, providers and modes multiply it.
    public struct TemplateColumn: Sendable, Equatable {
        public var label: String
        public var source: EvalVariant.Source
        /// The template's own `model:` (front matter), if any.
        public var model: String?

        public init(label: String, source: EvalVariant.Source, model: String?) {
            self.label = label
            self.source = source
            self.model = model
        }
    }

    /// - Parameters:
    ///   - providers: resolved provider names, at least one.
    ///   - models: the `--model` values; empty means each template's or provider's own.
    ///   - modes: at least one.
    ///   - defaultModel: a provider's default model, by name.
    public static func make(
        templates: [TemplateColumn], providers: [String], models: [String], modes: [RunMode],
        defaultModel: (String) -> String
    ) -> [(variant: EvalVariant, column: EvalColumn)] {
        let modelChoices: [String?] = models.isEmpty ? [nil] : models
        let modeChoices = modes.isEmpty ? [RunMode.stream] : modes
        var out: [(variant: EvalVariant, column: EvalColumn)] = []
        for (ti, t) in templates.enumerated() {
            for p in providers {
                for m in modelChoices {
                    for mode in modeChoices {
                        let model = m ?? t.model ?? defaultModel(p)
                        let column = EvalColumn(
                            templateIndex: ti, provider: p, model: model, modelFromFlag: m != nil, mode: mode)
                        var label = t.label
                        let at = [providers.count > 1 ? p : nil, modelChoices.count > 1 ? model : nil].compactMap { $0 }
                        if !at.isEmpty { label += " @" + at.joined(separator: ":") }
                        if modeChoices.count > 1 { label += " · " + mode.label }
                        let source = self.source(
                            template: t, index: ti, provider: p, model: model, mode: mode,
                            first: (providers[0], modelChoices[0], modeChoices[0]), flag: m,
                            providersVary: providers.count > 1)
                        out.append(
                            (
                                EvalVariant(
                                    id: EvalVariantID.make(out.count), label: label, source: source,
                                    provider: p, model: model, mode: mode), column
                            ))
                    }
                }
            }
        }
        return out
    }

    /// Says what makes a column of the template on disk differ from the first column: the
    /// model, else the provider, else the mode (`{kind: model, model}`, `{kind: mode, mode}`);
    /// a column of another template file or revision keeps that template's source.
    static func source(
        template t: TemplateColumn, index: Int, provider p: String, model: String, mode: RunMode,
        first: (provider: String, model: String?, mode: RunMode), flag: String?,
        providersVary: Bool
    ) -> EvalVariant.Source {
        guard index == 0 else { return t.source }
        if let flag, flag != first.model { return .model(model: model, provider: providersVary ? p : nil) }
        if p != first.provider { return .provider(p) }
        if mode != first.mode { return .mode(mode.label) }
        return t.source
    }
}
