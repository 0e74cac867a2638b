public enum InspectorVersion {
    public static let string = "0.1.0"
}
