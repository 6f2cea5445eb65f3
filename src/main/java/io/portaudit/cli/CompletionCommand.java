package io.portaudit.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit completion bash|zsh}: a shell completion script for every command and option. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print a shell completion script (bash or zsh).",
        description = {
            "",
            "Completes commands, options and option values (formats, --color, file names). Load it for this shell with "
                    + "'source <(portaudit completion bash)', or install it: 'portaudit completion bash > "
                    + "/etc/bash_completion.d/portaudit' (the Debian package installs it). In zsh: "
                    + "'source <(portaudit completion zsh)' (it runs through zsh's bashcompinit).",
            ""
        })
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    LangOption lang;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) throw new UserException(io.portaudit.model.L10n.t("cmd.completion.shell", shell));
        // the whole command line, every subcommand built (this run was given only 'completion')
        String script = AutoComplete.bash("portaudit", Main.commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
