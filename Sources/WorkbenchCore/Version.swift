/// The version of glmwb: `glmwb --version` and the User-Agent header read it from here, so
/// they cannot disagree. Raise it with each release.
public enum GLMWBVersion {
    public static let string = "0.1.0"
}
