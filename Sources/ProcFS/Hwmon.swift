/// One hwmon temperature input, in degrees Celsius.
public struct HwmonTemperature: Sendable, Equatable {
    public var id: String            // "hwmon0/temp1"
    /// The input file read ("/sys/class/hwmon/hwmon0/temp1_input", or under device/).
    public var file: String = ""
    public var label: String         // "coretemp Package id 0"
    public var celsius: Double?
    public var max: Double?
    public var crit: Double?
    public var raw: String?
}

/// One hwmon fan input.
public struct HwmonFan: Sendable, Equatable {
    public var id: String            // "hwmon2/fan1"
    public var file: String = ""
    public var label: String
    public var rpm: Double?
    public var min: Double?
    public var raw: String?
}

/// Reads /sys/class/hwmon/hwmon*/ through the root. Values are milli-degrees and rpm.
public enum Hwmon {
    public static let directory = "/sys/class/hwmon"

    /// The directory a chip's attributes are in: hwmonN/, or hwmonN/device/ for older drivers.
    public static func attributes(_ root: SystemRoot, chip: String) -> String {
        let top = "\(directory)/\(chip)"
        return root.list(top).contains { $0.hasSuffix("_input") } || !root.exists("\(top)/device") ? top : "\(top)/device"
    }

    public static func read(_ root: SystemRoot) -> (temperatures: [HwmonTemperature], fans: [HwmonFan]) {
        var temps: [HwmonTemperature] = []
        var fans: [HwmonFan] = []
        for chip in root.list(directory) where chip.hasPrefix("hwmon") {
            // Older drivers keep their attributes in hwmonN/device/ rather than hwmonN/.
            let top = "\(directory)/\(chip)"
            let dir = attributes(root, chip: chip)
            let name = root.value("\(dir)/name") ?? root.value("\(top)/name") ?? chip
            let files = root.list(dir)
            for input in files where input.hasPrefix("temp") && input.hasSuffix("_input") {
                let sensor = String(input.dropLast("_input".count))
                let raw = root.value("\(dir)/\(input)")
                temps.append(HwmonTemperature(
                    id: "\(chip)/\(sensor)", file: "\(dir)/\(input)", label: "\(name) \(root.value("\(dir)/\(sensor)_label") ?? sensor)",
                    celsius: milli(raw), max: milli(root.value("\(dir)/\(sensor)_max")),
                    crit: milli(root.value("\(dir)/\(sensor)_crit")), raw: raw))
            }
            for input in files where input.hasPrefix("fan") && input.hasSuffix("_input") {
                let sensor = String(input.dropLast("_input".count))
                let raw = root.value("\(dir)/\(input)")
                fans.append(HwmonFan(
                    id: "\(chip)/\(sensor)", file: "\(dir)/\(input)", label: "\(name) \(root.value("\(dir)/\(sensor)_label") ?? sensor)",
                    rpm: raw.flatMap { Double($0) }, min: root.value("\(dir)/\(sensor)_min").flatMap { Double($0) }, raw: raw))
            }
        }
        return (temps, fans)
    }

    /// Milli-degrees to degrees; a zero or absent limit means "none set" (drivers write 0).
    static func milli(_ s: String?) -> Double? {
        guard let s, let v = Double(s) else { return nil }
        return v / 1000
    }
}

/// One thermal zone with its trip points.
public struct ThermalZone: Sendable, Equatable {
    public var id: String            // "thermal_zone0"
    public var type: String          // "x86_pkg_temp", "acpitz"
    public var celsius: Double?
    /// Lowest "hot" or "passive" trip and the "critical" trip, in degrees.
    public var hot: Double?
    public var critical: Double?
    public var raw: String?

    public static let directory = "/sys/class/thermal"

    public static func read(_ root: SystemRoot) -> [ThermalZone] {
        root.list(directory).filter { $0.hasPrefix("thermal_zone") }.map { zone in
            let dir = "\(directory)/\(zone)"
            let raw = root.value("\(dir)/temp")
            var hot: Double?, critical: Double?
            for file in root.list(dir) where file.hasPrefix("trip_point_") && file.hasSuffix("_type") {
                let base = String(file.dropLast("_type".count))
                guard let kind = root.value("\(dir)/\(file)"),
                      let temp = Hwmon.milli(root.value("\(dir)/\(base)_temp")), temp > 0 else { continue }
                switch kind {
                case "critical": critical = Swift.min(critical ?? temp, temp)
                case "hot", "passive": hot = Swift.min(hot ?? temp, temp)
                default: break
                }
            }
            return ThermalZone(id: zone, type: root.value("\(dir)/type") ?? zone,
                               celsius: Hwmon.milli(raw), hot: hot, critical: critical, raw: raw)
        }
    }
}
