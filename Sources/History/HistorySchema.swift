import Foundation
import GRDB
import InspectorCore

extension History {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE sample (t REAL NOT NULL, target TEXT NOT NULL, metric TEXT NOT NULL, instance TEXT NOT NULL, value REAL NOT NULL);
                CREATE INDEX sample_series ON sample(target, metric, instance, t);
                CREATE TABLE rollup (resolution INTEGER NOT NULL, bucket REAL NOT NULL, target TEXT NOT NULL, metric TEXT NOT NULL,
                                     instance TEXT NOT NULL, min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
                                     PRIMARY KEY (resolution, target, metric, instance, bucket));
                CREATE TABLE finding (t REAL NOT NULL, run TEXT NOT NULL, target TEXT NOT NULL, card TEXT NOT NULL, instance TEXT NOT NULL,
                                      status TEXT NOT NULL, level TEXT NOT NULL, severity TEXT NOT NULL, reason TEXT);
                CREATE INDEX finding_time ON finding(t);
                CREATE TABLE inventory (target TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, updated REAL NOT NULL,
                                        PRIMARY KEY (target, field));
                """)
        }
        // A catalogue of series, so that listing them does not scan every sample; and roll-ups
        // by series and time (the primary key starts with the resolution).
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE series (target TEXT NOT NULL, metric TEXT NOT NULL, instance TEXT NOT NULL,
                                     first REAL NOT NULL, last REAL NOT NULL, PRIMARY KEY (target, metric, instance));
                INSERT OR IGNORE INTO series SELECT target, metric, instance, MIN(t), MAX(t) FROM sample GROUP BY target, metric, instance;
                INSERT OR IGNORE INTO series SELECT target, metric, instance, MIN(bucket), MAX(bucket) FROM rollup GROUP BY target, metric, instance;
                CREATE INDEX rollup_series ON rollup(target, metric, instance, bucket);
                CREATE INDEX series_metric ON series(metric);
                """)
        }
        // Findings summed per target, card and local day: what daily, monthly and quarterly reports
        // read. Raw findings are kept only as long as raw samples (a row per card per poll adds up).
        m.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE card_day (day REAL NOT NULL, target TEXT NOT NULL, card TEXT NOT NULL, checks INTEGER NOT NULL,
                                       abnormal INTEGER NOT NULL, unknown INTEGER NOT NULL, worst INTEGER NOT NULL, reason TEXT,
                                       reason_zh TEXT, PRIMARY KEY (day, target, card)) WITHOUT ROWID;
                """)
            let days = try Row.fetchAll(db, sql: "SELECT DISTINCT CAST(t / 3600 AS INTEGER) * 3600 AS hour FROM finding")
            // Backfill by local day, an hour at a time (SQLite has no time zones of its own).
            for row in days {
                let hour: Double = row["hour"]
                try db.execute(sql: """
                    INSERT INTO card_day SELECT ?, target, card, COUNT(*), SUM(status = 'abnormal'), SUM(status = 'unknown'),
                           MAX(\(History.levelRank)), MAX(CASE WHEN status = 'unknown' THEN reason END), NULL
                    FROM finding WHERE t >= ? AND t < ? GROUP BY target, card
                    ON CONFLICT (day, target, card) DO UPDATE SET checks = checks + excluded.checks, abnormal = abnormal + excluded.abnormal,
                       unknown = unknown + excluded.unknown, worst = MAX(worst, excluded.worst), reason = COALESCE(excluded.reason, reason)
                    """, arguments: [History.day(of: Date(timeIntervalSince1970: hour)), hour, hour + 3600])
            }
        }
        // Series by number: samples and roll-ups hold a series id, not its three names, and are
        // keyed by series then time WITHOUT ROWID (the table is its own index); findings keyed by
        // time WITHOUT ROWID too, level as its rank (0 ok .. 3 critical, the status follows from
        // it) and severity as its number (P2 -> 2). Together about 40 % of the earlier size.
        m.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE series_v4 (id INTEGER PRIMARY KEY, target TEXT NOT NULL, metric TEXT NOT NULL, instance TEXT NOT NULL,
                                        first REAL NOT NULL, last REAL NOT NULL, UNIQUE (target, metric, instance));
                INSERT INTO series_v4 (target, metric, instance, first, last) SELECT target, metric, instance, first, last FROM series;
                INSERT OR IGNORE INTO series_v4 (target, metric, instance, first, last)
                    SELECT target, metric, instance, MIN(t), MAX(t) FROM sample GROUP BY target, metric, instance;
                INSERT OR IGNORE INTO series_v4 (target, metric, instance, first, last)
                    SELECT target, metric, instance, MIN(bucket), MAX(bucket) FROM rollup GROUP BY target, metric, instance;
                CREATE TABLE sample_v4 (series INTEGER NOT NULL, t REAL NOT NULL, value REAL NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID;
                INSERT OR REPLACE INTO sample_v4 SELECT s.id, x.t, x.value FROM sample x JOIN series_v4 s USING (target, metric, instance);
                CREATE TABLE rollup_v4 (series INTEGER NOT NULL, resolution INTEGER NOT NULL, bucket REAL NOT NULL, min REAL NOT NULL,
                                        avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
                                        PRIMARY KEY (series, resolution, bucket)) WITHOUT ROWID;
                INSERT OR REPLACE INTO rollup_v4 SELECT s.id, r.resolution, r.bucket, r.min, r.avg, r.max, r.count
                    FROM rollup r JOIN series_v4 s USING (target, metric, instance);
                DROP TABLE sample;
                DROP TABLE rollup;
                DROP TABLE series;
                ALTER TABLE series_v4 RENAME TO series;
                ALTER TABLE sample_v4 RENAME TO sample;
                ALTER TABLE rollup_v4 RENAME TO rollup;
                CREATE INDEX series_metric ON series(metric);
                CREATE TABLE finding_v4 (t REAL NOT NULL, target TEXT NOT NULL, card TEXT NOT NULL, instance TEXT NOT NULL, run TEXT NOT NULL,
                                         level INTEGER NOT NULL, severity INTEGER NOT NULL, reason TEXT,
                                         PRIMARY KEY (t, target, card, instance)) WITHOUT ROWID;
                INSERT OR REPLACE INTO finding_v4 SELECT t, target, card, instance, run, \(History.levelRank),
                                                         CAST(substr(severity, 2) AS INTEGER), reason FROM finding;
                DROP TABLE finding;
                ALTER TABLE finding_v4 RENAME TO finding;
                """)
        }
        // Alert events, for the health reports: the spool's copies may be consumed and deleted.
        m.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE alert_event (id TEXT PRIMARY KEY NOT NULL, t REAL NOT NULL, target TEXT NOT NULL, card TEXT NOT NULL,
                                          state TEXT NOT NULL, document BLOB NOT NULL);
                CREATE INDEX alert_event_time ON alert_event(t);
                """)
        }
        // Each series keeps the unit its readings came with: period reports label charts and
        // tables with it instead of guessing from the metric's name.
        m.registerMigration("v6") { db in
            try db.execute(sql: "ALTER TABLE series ADD COLUMN unit TEXT NOT NULL DEFAULT ''")
        }
        // Outages no alert records: a host's reboot (from its last sample to its boot time).
        m.registerMigration("v7") { db in
            try db.execute(sql: """
                CREATE TABLE outage (target TEXT NOT NULL, kind TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL,
                                     PRIMARY KEY (target, kind, start));
                """)
        }
        // The backups BAK-001 saw (系统备份记录): one row per backup taken, kept for the period reports.
        m.registerMigration("v8") { db in
            try db.execute(sql: """
                CREATE TABLE backup_record (target TEXT NOT NULL, taken REAL NOT NULL, size_mb REAL, result TEXT NOT NULL,
                                            level INTEGER NOT NULL, seen REAL NOT NULL, PRIMARY KEY (target, taken));
                """)
        }
        return m
    }

    /// Levels as numbers, worst highest: ok 0, unknown 1, warning 2, critical 3.
    static let levelRank = "CASE level WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 WHEN 'unknown' THEN 1 ELSE 0 END"
    static let levels: [Level] = [.ok, .unknown, .warning, .critical]
}
