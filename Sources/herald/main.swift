// Swift concurrency runs on SwiftNIO's event loops, so a request's handler and its socket I/O share threads instead
// of handing each request between the cooperative pool and an event loop. This must happen before any task starts,
// hence a synchronous entry point that only then enters the (async) command.
import Foundation
import NIOCore
import NIOPosix

NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
Task {
    await HeraldCommand.main()
    exit(0)
}
dispatchMain()
