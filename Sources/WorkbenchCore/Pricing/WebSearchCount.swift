/// How many web searches a run is billed for. Z.AI bills per search performed; an enabled
/// web_search tool searches once per request. The results coming back confirm it (reported);
/// with `search_result: false` nothing comes back, and the search is counted from the request
/// (estimated) — never as $0 because the results were not asked for.
public enum WebSearchCount {
    public static func performed(request: ChatRequest, resultsReturned: Bool, answered: Bool) -> (
        count: Int, source: UsageSource
    ) {
        performed(searchesTheWeb: request.searchesTheWeb, resultsReturned: resultsReturned, answered: answered)
    }

    public static func performed(searchesTheWeb: Bool, resultsReturned: Bool, answered: Bool) -> (
        count: Int, source: UsageSource
    ) {
        if resultsReturned { return (1, .reported) }
        if answered, searchesTheWeb { return (1, .estimated) }
        return (0, .reported)
    }
}
