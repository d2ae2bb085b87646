using System.CommandLine;
using System.Runtime.InteropServices;
using DimReduce.Kernel;

namespace DimReduce.Cli.Commands;

/// <summary>
/// <c>dimreduce kernel -f CONNECTION_FILE</c>: run as a Jupyter kernel (Jupyter starts it so), and
/// <c>dimreduce kernel install [--user|--prefix DIR] [--name NAME]</c>: write the kernelspec that points Jupyter here.
/// </summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var connectionFile = new Option<string>("--connection-file", "-f") { Description = "The connection file Jupyter wrote (ports and signing key); Jupyter passes it for you." };
        var command = new Command("kernel", "Run as a Jupyter kernel for C# notebooks (VS Code, JupyterLab, nbconvert), or install its kernelspec with 'kernel install'.") { connectionFile };
        command.Subcommands.Add(CreateInstall());
        command.SetAction(p => CliErrors.Run(() =>
        {
            string? file = p.GetValue(connectionFile);
            if (string.IsNullOrEmpty(file))
                throw new ArgumentException("kernel needs --connection-file FILE (Jupyter starts it so); to make Jupyter find this kernel, run 'dimreduce kernel install'.");
            return Serve(file);
        }));
        return command;
    }

    private static int Serve(string file)
    {
        var connection = ConnectionInfo.Load(file);
        try
        {
            Run(connection);
        }
        finally
        {
            // Let the sockets' last messages (shutdown_reply, idle) leave before the process ends; never wait long.
            Task.Run(() => NetMQ.NetMQConfig.Cleanup(block: true)).Wait(TimeSpan.FromSeconds(2));
        }
        return 0;
    }

    private static void Run(ConnectionInfo connection)
    {
        // Cells redirect Console.Error while they run; the log keeps the process's real stderr (Jupyter's server log).
        var log = Console.Error;
        using var kernel = new JupyterKernel(connection, new KernelOptions { Log = log });
        // interrupt_mode is "message", but a front end may still send SIGINT: treat it as an interrupt, never as an exit.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            kernel.Interrupt();
        });
        kernel.Run();
    }

    private static Command CreateInstall()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default): ~/.local/share/jupyter/kernels on Linux, or $JUPYTER_DATA_DIR/kernels." };
        var prefix = new Option<string>("--prefix") { Description = "Install under DIR/share/jupyter/kernels instead (a virtual environment, or a temporary folder named in JUPYTER_PATH)." };
        var name = new Option<string>("--name") { Description = "The kernel name, the folder under kernels/ (letters, digits, '-', '.', '_').", DefaultValueFactory = _ => KernelSpec.Defaults.Name };
        var displayName = new Option<string>("--display-name") { Description = "The name front ends show.", DefaultValueFactory = _ => KernelSpec.Defaults.DisplayName };
        var polyglotAlias = new Option<bool>("--polyglot-alias")
        {
            Description = "Also install the kernel as '.net-csharp', the name Polyglot Notebooks wrote into .ipynb files, so nbconvert and JupyterLab " +
                          "run them without choosing a kernel. Opt-in: it takes the place of a real .NET Interactive kernelspec of that name.",
        };
        var install = new Command("install", "Write the kernelspec (kernel.json) so Jupyter front ends can start this kernel; it runs the same dimreduce that installed it.")
        {
            user, prefix, name, displayName, polyglotAlias,
        };
        install.SetAction(p => CliErrors.Run(() =>
        {
            string? prefixDir = p.GetValue(prefix);
            if (p.GetValue(user) && !string.IsNullOrEmpty(prefixDir))
                throw new ArgumentException("kernel install got both --user and --prefix; choose one (--user is the default).");
            string kernels = string.IsNullOrEmpty(prefixDir) ? KernelSpec.UserKernelsDirectory() : KernelSpec.PrefixKernelsDirectory(prefixDir);
            string folder = KernelSpec.Install(kernels, StartCommand(), p.GetValue(name)!, p.GetValue(displayName)!);
            Console.WriteLine($"Installed kernelspec {Path.GetFileName(folder)} in {folder}");
            if (p.GetValue(polyglotAlias))
            {
                string alias = KernelSpec.Install(kernels, StartCommand(), KernelSpec.Defaults.PolyglotName, KernelSpec.Defaults.PolyglotDisplayName);
                Console.WriteLine($"Installed kernelspec {Path.GetFileName(alias)} in {alias} (Polyglot notebooks now run on this kernel)");
            }
            return 0;
        }));
        return install;
    }

    /// <summary>
    /// How Jupyter should start the kernel: exactly the program running now, by absolute path (front ends do not inherit
    /// a shell's PATH). Run through <c>dotnet DimReduce.Cli.dll</c>: the dotnet host plus the dll; run as the apphost or
    /// as the <c>dimreduce</c> .NET tool: that executable (for a tool, its shim, which survives tool updates).
    /// </summary>
    internal static List<string> StartCommand()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running program is unknown, so the kernelspec cannot point at it.");
        string dll = typeof(KernelCommand).Assembly.Location;
        bool viaHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaHost ? [Path.GetFullPath(process), Path.GetFullPath(dll), "kernel"] : [Path.GetFullPath(process), "kernel"];
    }
}
