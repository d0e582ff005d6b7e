import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a JVMTI agent into a running JVM with its options: {@code java bench/Attach.java PID LIBRARY OPTIONS}.
 * (run.sh uses it for async-profiler; {@code jcmd PID JVMTI.agent_load} would split the options at '='.)
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
