/// The shared rig (`SimRig`, `SharedSim`, `withSimSession`), fixtures, scratch folders and the one
/// launcher of the real binary (`glmwb`, `glmwbProcess`) live in WorkbenchTestSupport, beside
/// `ScriptedTransport`, so every test target uses the same ones. Re-exported here so each file of
/// this target sees them without its own import.
@_exported import WorkbenchTestSupport
