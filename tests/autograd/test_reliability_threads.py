"""Recording state (no_grad, scope) belongs to one thread or asyncio task.

Barriers fix every interleaving, so these tests do not depend on timing.
"""

import asyncio
import threading

from autograd import Tensor, Value, enable_grad, is_grad_enabled, no_grad, scope

TIMEOUT = 10  # seconds; a barrier that waits longer means a thread is stuck


def run_threads(*targets):
    """Run each target in its own thread; re-raise the first failure here."""
    errors = []

    def guarded(target):
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread did not finish"
    if errors:
        raise errors[0]


def test_no_grad_in_a_worker_does_not_stop_recording_here():
    inside, built = threading.Barrier(2, timeout=TIMEOUT), threading.Barrier(2, timeout=TIMEOUT)
    results = {}

    def worker():
        with no_grad():
            inside.wait()  # the main thread builds its graph while we are in no_grad
            built.wait()
            results["worker"] = is_grad_enabled()

    def main_side():
        inside.wait()
        x = Value(3.0)
        y = x * x
        t = Tensor([1.0, 2.0], requires_grad=True)
        s = (t * t).sum()
        built.wait()
        y.backward()
        s.backward()
        results["main"] = (y.parents, x.grad, t.grad.tolist())

    run_threads(worker, main_side)
    parents, x_grad, t_grad = results["main"]
    assert len(parents) == 2 and x_grad == 6.0 and t_grad == [2.0, 4.0]
    assert results["worker"] is False


def test_threads_leaving_no_grad_out_of_order_leave_recording_on():
    # A enters, B enters, A leaves, B leaves: with shared state A's exit restored
    # "off" (saved from B's entry) for everyone.
    steps = [threading.Barrier(2, timeout=TIMEOUT) for _ in range(4)]
    seen = {}

    def a():
        with no_grad():
            steps[0].wait()  # A in
            steps[1].wait()  # B in
        steps[2].wait()      # A out
        seen["a after exit"] = is_grad_enabled()
        steps[3].wait()      # B out
        seen["a at end"] = is_grad_enabled()

    def b():
        steps[0].wait()
        with no_grad():
            steps[1].wait()
            steps[2].wait()
            seen["b while a left"] = is_grad_enabled()
        steps[3].wait()
        seen["b at end"] = is_grad_enabled()

    run_threads(a, b)
    assert seen == {"a after exit": True, "a at end": True,
                    "b while a left": False, "b at end": True}
    assert is_grad_enabled()
    x = Value(2.0)
    assert (x * x).parents == (x, x)


def test_scope_in_a_worker_does_not_tag_nodes_made_here():
    inside, built = threading.Barrier(2, timeout=TIMEOUT), threading.Barrier(2, timeout=TIMEOUT)
    made = {}

    def worker():
        with scope("worker"):
            made["worker"] = Value(1.0) + 1
            inside.wait()
            built.wait()

    def main_side():
        with scope("main"):
            inside.wait()
            made["main"] = Value(1.0) * 2
            built.wait()
        made["after"] = Value(1.0) * 2

    run_threads(worker, main_side)
    assert made["worker"].scope == ("worker",)
    assert made["main"].scope == ("main",)
    assert made["after"].scope == ()
    assert (Value(1.0) + 1).scope == ()


def test_a_new_thread_starts_recording_with_no_scope():
    seen = {}

    def worker():
        seen["grad"] = is_grad_enabled()
        seen["scope"] = (Value(1.0) + 1).scope

    with no_grad(), scope("outer"):
        run_threads(worker)
    assert seen == {"grad": True, "scope": ()}


def test_asyncio_tasks_have_their_own_recording_state():
    async def scenario():
        entered, built = asyncio.Event(), asyncio.Event()
        results = {}

        async def quiet():
            with no_grad(), scope("quiet"):
                entered.set()
                await built.wait()  # the other task runs while we are inside
                results["quiet"] = (is_grad_enabled(), (Value(1.0) + 1).scope)

        async def loud():
            await entered.wait()
            x = Value(3.0)
            y = x * x
            results["loud"] = (is_grad_enabled(), y.parents == (x, x), y.scope)
            built.set()

        await asyncio.gather(quiet(), loud())
        return results

    results = asyncio.run(scenario())
    assert results == {"quiet": (False, ("quiet",)), "loud": (True, True, ())}


def test_nested_modes_and_scopes_restore_in_one_thread():
    with scope("a"):
        with no_grad():
            with scope("b"):
                with enable_grad():
                    y = Value(1.0) * 2
                    assert y.scope == ("a", "b") and y.op
                z = Value(1.0) * 2
                assert not z.parents and z.scope == ("a", "b")
            assert not is_grad_enabled()
        assert is_grad_enabled() and (Value(1.0) * 2).scope == ("a",)
    assert (Value(1.0) * 2).scope == ()


def test_one_scope_object_entered_recursively():
    block = scope("again")
    with block:
        with block:
            assert (Value(1.0) + 1).scope == ("again", "again")
        assert (Value(1.0) + 1).scope == ("again",)
    assert (Value(1.0) + 1).scope == ()
