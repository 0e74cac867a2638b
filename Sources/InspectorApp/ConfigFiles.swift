import InspectorCore
import Reports

/// What every command that runs the config loads: the config (its addresses parsed, secrets
/// read) and its report templates, which must parse too.
public enum ConfigFiles {
    public static func load(file: String) throws(ConfigError) -> (InspectorConfig, ReportTemplates) {
        let config = try ConfigLoader.load(file: file)
        return (config, try TemplateSet.load(config))
    }
}
