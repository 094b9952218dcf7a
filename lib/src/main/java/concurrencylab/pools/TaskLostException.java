package concurrencylab.pools;

/**
 * A cluster pool's task did not come back: the member it was sent to left the cluster (killed,
 * say) and no other member ran it again within the grace period, as happens when two members
 * die together. The message names the member and the task. The call fails with this; the pool
 * goes on with the members that are left.
 */
public final class TaskLostException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int member;

    TaskLostException(int member, String message) {
        super(message);
        this.member = member;
    }

    /** The member the task was sent to, from 1. */
    public int member() {
        return member;
    }
}
