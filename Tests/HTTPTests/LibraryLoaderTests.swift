import CLibraryLoader
import Glibc
import Testing

/// libcurl and libpq are opened on first use; what the loader does with a library that is there,
/// one that is missing, and one that lacks a function.
struct LibraryLoaderTests {
    /// A loader for `soname` binding `symbols`; the C strings live as long as the test process.
    final class Loader {
        var library = inspector_library()
        let names: UnsafeMutablePointer<UnsafePointer<CChar>?>
        let slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>

        init(_ soname: String, _ symbols: [String]) {
            names = .allocate(capacity: symbols.count + 1)
            for (i, s) in symbols.enumerated() { names[i] = UnsafePointer(strdup(s)) }
            names[symbols.count] = nil
            slots = .allocate(capacity: max(symbols.count, 1))
            slots.initialize(repeating: nil, count: max(symbols.count, 1))
            // A zeroed pthread_mutex_t is PTHREAD_MUTEX_INITIALIZER on glibc.
            library.soname = UnsafePointer(strdup(soname))
            library.symbols = UnsafePointer(names)
            library.slots = slots
        }

        var ready: Bool { inspector_library_ready(&library) != 0 }
        var error: String? { inspector_library_error(&library).map { String(cString: $0) } }
    }

    @Test func aLibraryThatIsThereBindsItsFunctions() throws {
        let loader = Loader("libc.so.6", ["strlen", "getpid"])
        #expect(loader.ready)
        #expect(loader.error == nil)
        let strlenSlot = try #require(loader.slots[0])
        let boundStrlen = unsafeBitCast(strlenSlot, to: (@convention(c) (UnsafePointer<CChar>) -> Int).self)
        #expect(boundStrlen("inspect") == 7)
        let getpidSlot = try #require(loader.slots[1])
        #expect(unsafeBitCast(getpidSlot, to: (@convention(c) () -> Int32).self)() == getpid())
    }

    @Test func aMissingLibraryIsNotReadyAndSaysWhy() {
        let loader = Loader("libinspector-absent.so.9", ["anything"])
        #expect(!loader.ready)
        #expect(!loader.ready, "a failed load stays failed")
        let error = loader.error ?? ""
        #expect(error.contains("libinspector-absent.so.9") && error.contains("cannot open shared object file"), "\(error)")
        #expect(loader.slots[0] == nil)
    }

    @Test func aLibraryWithoutAFunctionIsNotReadyAndNamesIt() {
        let loader = Loader("libc.so.6", ["strlen", "inspector_no_such_function"])
        #expect(!loader.ready)
        #expect(loader.error == "libc.so.6 has no inspector_no_such_function")
    }
}
