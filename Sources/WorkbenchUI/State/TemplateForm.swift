import WorkbenchCore

/// What a template costs to run here: the provider and prices the preview estimates with.
public struct PricingContext: Sendable, Equatable {
    public var providerName: String
    public var free: Bool
    public var prices: PriceTable
    /// Whether a template's GLM `model:` applies (Z.AI, GLMSim) or the provider's own model does.
    public var servesGLM: Bool

    public init(providerName: String, free: Bool, prices: PriceTable = .builtIn, servesGLM: Bool = true) {
        self.providerName = providerName
        self.free = free
        self.prices = prices
        self.servesGLM = servesGLM
    }
}

/// The variables form of an open template, with its live preview. Values are kept per variable
/// name, so a reload of the file (after `e`) keeps what the user typed.
public struct TemplateForm: Sendable, Equatable {
    public var template: PromptTemplate
    public var values: [String: String]
    /// The selected variable (0-based).
    public var selection = 0
    /// Typing goes into the selected field (Enter starts and ends it).
    public var editing = false
    /// The value before editing started, restored by Esc.
    public var original: String?
    /// Index into the selected variable's choices while the choice list is open.
    public var choosing: Int?
    public var previewScroll = 0
    /// The file failed to reload: shown over the preview; the last good template stays usable.
    /// The first of `fileErrors`.
    public var reloadError: TemplateError?
    /// Every error of the file as last read (empty while it loads), all shown in the preview.
    public var fileErrors: [TemplateError] = []
    /// False for a template that never loaded (opened from its row in the pane to read its
    /// errors): there are no variables and nothing can be sent until the file is fixed.
    public var hasGoodVersion = true
    /// Variables the user changed; a reload keeps these and takes new defaults for the rest.
    public var touched: Set<String> = []

    public init(template: PromptTemplate) {
        self.template = template
        values = template.defaultValues
    }

    /// A template whose file does not load: the form shows its errors, `e` edits the file, and
    /// the watcher's next good load turns it into the usual form.
    public init(broken name: String, errors: [TemplateError]) {
        var t = PromptTemplate(name: name, description: "", path: errors.first?.path ?? "", body: "")
        t.origin = .file
        self.init(template: t)
        hasGoodVersion = false
        failedToLoad(errors)
    }

    /// The file was read again and does not load: keep the last good version (if any) and show
    /// every error.
    public mutating func failedToLoad(_ errors: [TemplateError]) {
        fileErrors = errors
        reloadError = errors.first
    }

    public var variable: TemplateVariable? {
        template.variables.indices.contains(selection) ? template.variables[selection] : nil
    }

    /// The rendered request, or the error that stops it, for the current values.
    public func render(tools: [ToolDefinition], servesGLM: Bool = true) -> Result<RenderedTemplate, TemplateError> {
        do { return .success(try TemplateRenderer.render(template, values: values, tools: tools).adapted(toGLMProvider: servesGLM)) }
        catch { return .failure(error) }
    }

    /// The template was reloaded from disk: keep values for variables that still exist, take
    /// defaults for new ones.
    public mutating func reload(_ t: PromptTemplate) {
        var v = t.defaultValues
        for (k, old) in values where v[k] != nil && touched.contains(k) { v[k] = old }
        template = t
        values = v
        selection = min(selection, max(0, t.variables.count - 1))
        editing = false
        original = nil
        choosing = nil
        reloadError = nil
        fileErrors = []
        hasGoodVersion = true
    }
}
