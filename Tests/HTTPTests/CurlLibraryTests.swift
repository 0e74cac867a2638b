import CCurl
import Testing

/// Debian's libcurl loads on first use and has the protocols HTTP checks and mail need.
struct CurlLibraryTests {
    @Test func libcurlReportsVersionAndProtocols() throws {
        let info = try #require(inspector_curl_version_info())
        #expect(inspector_curl_unavailable() == nil)
        let version = String(cString: info.pointee.version)
        #expect(version.split(separator: ".").count == 3, "\(version)")
        var protocols: [String] = []
        var p = info.pointee.protocols
        while let name = p?.pointee {
            protocols.append(String(cString: name))
            p = p?.advanced(by: 1)
        }
        for needed in ["http", "https", "smtp", "smtps"] { #expect(protocols.contains(needed), "\(protocols)") }
    }
}
