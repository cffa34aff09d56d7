extension EvalCaseSet {
    /// The problems of these cases with `template`, each at its case's line: a variable the
    /// template does not declare, a required one left empty, a value outside its choices —
    /// found before anything is sent, so a typo in a cases file is exit 2, not a column of
    /// errors. Every case is tried (tools are not needed to check variables).
    public func problems(with template: PromptTemplate) -> [EvalFileError] {
        cases.compactMap { c -> EvalFileError? in
            do {
                _ = try TemplateRenderer.render(template, values: c.vars)
                return nil
            } catch let error as TemplateError {
                return EvalFileError(path: path, line: c.line, message: "case \(c.name): \(error.message)", fix: error.fix)
            } catch {
                return EvalFileError(path: path, line: c.line, message: "case \(c.name): \(error)")
            }
        }
    }
}
