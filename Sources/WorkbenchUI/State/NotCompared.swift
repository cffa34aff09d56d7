/// A stored property that synthesized `==` skips: every two values compare equal.
///
/// For members of a state type that are not part of what the state *means*: a cache of derived
/// data shared by reference (`AppState.layoutCache`) has no value equality, and comparing its
/// identity would make two states that draw the same screen unequal in a reducer test.
@propertyWrapper
public struct NotCompared<Value: Sendable>: Sendable, Equatable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public static func == (_: NotCompared, _: NotCompared) -> Bool { true }
}
