/// Executors that reach outside the process: `command` tools (through swift-subprocess) and MCP
/// servers over stdio (through the MCP Swift SDK). Core stays free of both.
enum WorkbenchTools {}
