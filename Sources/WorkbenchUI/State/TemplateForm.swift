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
    public var reloadError: TemplateError?
    /// Variables the user changed; a reload keeps these and takes new defaults for the rest.
    public var touched: Set<String> = []

    public init(template: PromptTemplate) {
        self.template = template
        values = template.defaultValues
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
    }
}
