"""bot.services.delivery.deliver stores replies off the event loop (the database is synchronous)."""
import asyncio
import threading

from bot.services.delivery import deliver


def test_deliver_writes_the_outbox_in_a_worker_thread(uow):
    from bot.storage.uow import SqlAlchemyUnitOfWork

    threads = []

    def factory():
        threads.append(threading.current_thread())
        return SqlAlchemyUnitOfWork()

    async def run():
        loop_thread = threading.current_thread()
        pushed = await deliver(factory, "conv-delivery-1", "no-such-channel", [{"text": "hello"}])
        return loop_thread, pushed

    loop_thread, pushed = asyncio.run(run())
    assert pushed is False  # no pusher for this channel: stored only
    assert threads and all(t is not loop_thread for t in threads)
    with SqlAlchemyUnitOfWork() as unit:
        assert [m["text"] for m in unit.outbox.take_pending("conv-delivery-1", "no-such-channel")] == ["hello"]
