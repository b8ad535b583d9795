// Each request runs on the event loop of its own connection. Swift concurrency otherwise resumes a task on
// whichever loop resumed it: a commit finishing on the store's writer thread, or a send waking a hundred long polls
// from one loop, would put all that work on one loop and then hop to each connection's loop to write the response.
// With the connection's loop as the request's task executor, work spreads over the loops as connections do, and
// the response is written without a hop.
import Hummingbird
import NIOCore
import NIOPosix

/// A task executor that runs jobs on one event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// One executor per loop of the group, made once.
    private static let all: [EventLoopTaskExecutor] = MultiThreadedEventLoopGroup.singleton.makeIterator().map {
        EventLoopTaskExecutor($0)
    }

    /// The executor of `loop`; a new one for a loop outside the shared group (as tests may use).
    static func of(_ loop: any EventLoop) -> EventLoopTaskExecutor {
        all.first { $0.loop === loop } ?? EventLoopTaskExecutor(loop)
    }
}

/// Hummingbird's basic context, and the executor of the request's connection.
struct HeraldRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let executor: EventLoopTaskExecutor

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        executor = .of(source.channel.eventLoop)
    }
}
