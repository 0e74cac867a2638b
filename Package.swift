// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Inspector",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "inspect", targets: ["inspect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.20.0"),
    ],
    targets: [
        // C libraries from Debian (libsnmp-dev, libsystemd-dev, libssl-dev), found through pkg-config.
        .systemLibrary(name: "CNetSNMP", pkgConfig: "netsnmp",
                       providers: [.apt(["libsnmp-dev"])]),
        // sd-journal (SXKR-006, read in-process) and sd_notify (the daemon).
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        // glibc's malloc_trim: a one-shot run gives back the heap start-up freed (ColdPages).
        .systemLibrary(name: "CMalloc"),
        // HMAC-SHA256 for DingTalk's signed robot URLs.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // libcurl (HTTP checks, mail, robots) and libpq (the fleet history), from Debian's
        // libcurl4-openssl-dev and libpq-dev headers. Not linked: opened on first use (dlopen), so a
        // daemon that needs neither never maps the thirty-odd libraries they pull in.
        .target(name: "CLibraryLoader"),
        .target(name: "CCurl", dependencies: ["CLibraryLoader"]),
        .target(name: "CPostgres", dependencies: ["CLibraryLoader"]),

        // Model, config, thresholds, evaluation. No I/O beyond reading the config file.
        // The metric catalogue (Config/metrics.yaml) is compiled in by the EmbedTemplates plugin.
        // The config parses SNMP addresses into the transport's own endpoint type, once, at load.
        .target(name: "InspectorCore", dependencies: [
            "SNMP",
            .product(name: "Yams", package: "Yams"),
        ], plugins: ["EmbedTemplates"]),
        // SNMP client over net-snmp's single-session API; the C types stay inside.
        .target(name: "SNMP", dependencies: ["CNetSNMP"]),
        // glibc calls that Swift's Glibc module hides behind _GNU_SOURCE: children that hold none of our
        // descriptors (posix_spawn closefrom), and pipes and accepted sockets close-on-exec from birth.
        .target(name: "CSpawn"),
        // /proc, /sys and /dev/kmsg parsers: Foundation only, like prometheus/procfs.
        .target(name: "ProcFS"),
        // HTTP checks over libcurl's multi interface; the C types stay inside.
        .target(name: "HTTP", dependencies: ["CCurl"]),
        // Reachability: ICMP echo (datagram or raw socket) and TCP connects with a greeting, over plain sockets.
        .target(name: "Reach"),
        // Probes: /proc and /sys, SNMP device profiles, HTTP checks. They produce readings, never verdicts.
        .target(name: "Probes", dependencies: [
            "InspectorCore", "ProcFS", "SNMP", "HTTP", "Reach", "CSystemd", "CSpawn",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Syslog from network devices (SXKR-006): RFC 3164/5424 over UDP and TCP, counted per source.
        .target(name: "Syslog", dependencies: ["CSpawn"]),
        // Chat robots (WeCom, DingTalk) and webhooks: an outbox of posts sent through libcurl, with back-off.
        .target(name: "Notify", dependencies: ["CCurl", "COpenSSL", "Spool", "InspectorCore"]),
        // Mail: MIME messages into the outbox, sent through libcurl's SMTP.
        .target(name: "Mail", dependencies: ["CCurl", "Spool"]),
        // Readings and findings over time in SQLite (GRDB), with roll-ups and retention.
        .target(name: "History", dependencies: ["InspectorCore", .product(name: "GRDB", package: "GRDB.swift"),
                                              .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // The Prometheus exposition of the latest readings and verdicts (the text format written
        // here: swift-prometheus' registry is quadratic in series), served over HTTP by FlyingFox
        // or written as a textfile.
        .target(name: "Exposition", dependencies: [
            "InspectorCore",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
        // The fleet history: the local SQLite's rows forwarded to a shared PostgreSQL (libpq), once each.
        .target(name: "FleetHistory", dependencies: ["CPostgres", "History", "InspectorCore"]),
        // Maildir-style spool: tmp/, fsync, rename into new/.
        .target(name: "Spool", dependencies: ["InspectorCore"]),
        // Renderers that only read the report model: Mustache templates (Config/templates, compiled in
        // by the EmbedTemplates plugin; a directory of overrides at run time), and the JSON schema in code.
        .target(name: "Reports", dependencies: ["InspectorCore", .product(name: "Mustache", package: "swift-mustache")],
                plugins: ["EmbedTemplates"]),
        .executableTarget(name: "embed-templates"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["embed-templates"]),
        // Wiring: paths, one inspection run, the daemon, report mail. The executable stays thin.
        .target(name: "InspectorApp", dependencies: [
            "InspectorCore", "Probes", "ProcFS", "Spool", "Reports", "History", "Mail", "CSystemd", "Syslog", "Notify",
            "Exposition", "FleetHistory", "COpenSSL", "CMalloc",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "inspect-bench", dependencies: [
            "InspectorApp", "InspectorCore", "History", "Reports", "Notify", "FleetHistory", "Exposition", "Probes",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "inspect", dependencies: [
            "InspectorApp", "InspectorCore", "Probes", "ProcFS", "Reports", "History", "Spool", "Mail",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "InspectorCoreTests", dependencies: ["InspectorCore"]),
        // Real peers the tests start and stop: snmpd, snmpsimd, an HTTP/TLS server, an SMTP server.
        .target(name: "TestPeers", path: "Tests/TestPeers", exclude: ["http_peer.py", "smtp_peer.py", "hung_fs.py", "hook_peer.py"]),
        .testTarget(name: "SNMPTests", dependencies: ["SNMP", "CNetSNMP", "TestPeers"]),
        .testTarget(name: "ProbesTests", dependencies: ["Probes", "ProcFS", "InspectorCore", "SNMP", "HTTP", "TestPeers", "Reports"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "InspectorCore"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "InspectorCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "InspectorCore"]),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "CCurl", "CLibraryLoader", "TestPeers"]),
        .testTarget(name: "SyslogTests", dependencies: ["Syslog", "TestPeers"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestPeers"]),
        .testTarget(name: "NotifyTests", dependencies: ["Notify", "InspectorCore", "TestPeers"]),
        .testTarget(name: "InspectCommandTests", dependencies: [
            "FleetHistory", "Exposition",
            "InspectorApp", "InspectorCore", "History", "TestPeers",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
