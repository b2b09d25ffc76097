<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConfusionWindow</name>
    <message numerus="yes">
        <location filename="../windows/confusion_window.py" line="238"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; test image(s) of a &lt;b&gt;{1}&lt;/b&gt; read correctly as &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; test image of a &lt;b&gt;{1}&lt;/b&gt; read correctly as &lt;b&gt;{2}&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; test images of a &lt;b&gt;{1}&lt;/b&gt; read correctly as &lt;b&gt;{2}&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/confusion_window.py" line="240"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; test image(s) of a &lt;b&gt;{1}&lt;/b&gt; misread as &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; test image of a &lt;b&gt;{1}&lt;/b&gt; misread as &lt;b&gt;{2}&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; test images of a &lt;b&gt;{1}&lt;/b&gt; misread as &lt;b&gt;{2}&lt;/b&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FineTuneDialog</name>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="51"/>
        <source>Continue training &lt;b&gt;{0}&lt;/b&gt; on MNIST digits plus your &lt;b&gt;{1}&lt;/b&gt; digit(s) (each repeated 5 times and weighted more heavily), then compare before and after.</source>
        <translation>
            <numerusform>Continue training &lt;b&gt;{0}&lt;/b&gt; on MNIST digits plus your &lt;b&gt;{1}&lt;/b&gt; digit (repeated 5 times and weighted more heavily), then compare before and after.</numerusform>
            <numerusform>Continue training &lt;b&gt;{0}&lt;/b&gt; on MNIST digits plus your &lt;b&gt;{1}&lt;/b&gt; digits (each repeated 5 times and weighted more heavily), then compare before and after.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="189"/>
        <source>Only %n digit(s) to learn from.</source>
        <translation>
            <numerusform>Only %n digit to learn from.</numerusform>
            <numerusform>Only %n digits to learn from.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="199"/>
        <source>your {0} digit(s) kept aside, not trained on: {1} → {2}</source>
        <translation>
            <numerusform>your {0} digit kept aside, not trained on: {1} → {2}</numerusform>
            <numerusform>your {0} digits kept aside, not trained on: {1} → {2}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="202"/>
        <source>your {0} digit(s) trained on: {1} → {2}</source>
        <translation>
            <numerusform>your {0} digit trained on: {1} → {2}</numerusform>
            <numerusform>your {0} digits trained on: {1} → {2}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="205"/>
        <source>your {0} digit(s), the ones it trained on (too few to keep some aside): {1} → {2}</source>
        <translation>
            <numerusform>your {0} digit, the one it trained on (too few to keep some aside): {1} → {2}</numerusform>
            <numerusform>your {0} digits, the ones it trained on (too few to keep some aside): {1} → {2}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InsidesWindow</name>
    <message numerus="yes">
        <location filename="../windows/insides_window.py" line="236"/>
        <source>{0}: %n layer(s), {1} parameters; input {2}</source>
        <translation>
            <numerusform>{0}: %n layer, {1} parameters; input {2}</numerusform>
            <numerusform>{0}: %n layers, {1} parameters; input {2}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="276"/>
        <source>Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); the reader is learning your handwriting…</source>
        <translation>
            <numerusform>Stored as “not a digit”. You have %n drawing marked so (Model → My digits…); the reader is learning your handwriting…</numerusform>
            <numerusform>Stored as “not a digit”. You have %n drawings marked so (Model → My digits…); the reader is learning your handwriting…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="278"/>
        <source>Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); fine-tuning, which teaches digits, leaves them out.</source>
        <translation>
            <numerusform>Stored as “not a digit”. You have %n drawing marked so (Model → My digits…); fine-tuning, which teaches digits, leaves it out.</numerusform>
            <numerusform>Stored as “not a digit”. You have %n drawings marked so (Model → My digits…); fine-tuning, which teaches digits, leaves them out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="282"/>
        <source>Stored as a {0}. You have {1} digit(s); the reader is learning your handwriting…</source>
        <translation>
            <numerusform>Stored as a {0}. You have {1} digit; the reader is learning your handwriting…</numerusform>
            <numerusform>Stored as a {0}. You have {1} digits; the reader is learning your handwriting…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="283"/>
        <source>Stored as a {0}. You have {1} digit(s); Model → Fine-tune on my digits… teaches them to the model.</source>
        <translation>
            <numerusform>Stored as a {0}. You have {1} digit; Model → Fine-tune on my digits… teaches it to the model.</numerusform>
            <numerusform>Stored as a {0}. You have {1} digits; Model → Fine-tune on my digits… teaches them to the model.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonalWindow</name>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="165"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; digit(s)</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; digit</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; digits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="166"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; drawing(s) marked “not a digit”</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; drawing marked “not a digit”</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; drawings marked “not a digit”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="177"/>
        <source>Skipped %n file(s) that cannot be used:</source>
        <translation>
            <numerusform>Skipped %n file that cannot be used:</numerusform>
            <numerusform>Skipped %n files that cannot be used:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="197"/>
        <source>{0} drawing(s)</source>
        <translation>
            <numerusform>{0} drawing</numerusform>
            <numerusform>{0} drawings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="214"/>
        <source>Imported {0} drawing(s) from {1}.</source>
        <translation>
            <numerusform>Imported {0} drawing from {1}.</numerusform>
            <numerusform>Imported {0} drawings from {1}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="216"/>
        <source>{0} drawing(s) already here, not added twice.</source>
        <translation>
            <numerusform>{0} drawing already here, not added twice.</numerusform>
            <numerusform>{0} drawings already here, not added twice.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StrokeInputPane</name>
    <message numerus="yes">
        <location filename="../widgets/stroke_view.py" line="188"/>
        <source>%n stroke(s), 64 points</source>
        <translation>
            <numerusform>%n stroke, 64 points</numerusform>
            <numerusform>%n strokes, 64 points</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeachingText</name>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="37"/>
        <source>Taught {0} of your drawing(s): read right when each is left out of the teaching {1} → {2} of {0}; the reader now reads {3} of them differently.</source>
        <translation>
            <numerusform>Taught {0} of your drawings: read right when each is left out of the teaching {1} → {2} of {0}; the reader now reads {3} of them differently.</numerusform>
            <numerusform>Taught {0} of your drawings: read right when each is left out of the teaching {1} → {2} of {0}; the reader now reads {3} of them differently.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="48"/>
        <source>The reader is taught your {0} drawing(s). Read right when each is left out of the teaching (read by a reader taught all the others, never by one that saw it), before → after: &lt;b&gt;{1} → {2}&lt;/b&gt; of {0}.</source>
        <translation>
            <numerusform>The reader is taught your {0} drawing. Read right when each is left out of the teaching (read by a reader taught all the others, never by one that saw it), before → after: &lt;b&gt;{1} → {2}&lt;/b&gt; of {0}.</numerusform>
            <numerusform>The reader is taught your {0} drawings. Read right when each is left out of the teaching (read by a reader taught all the others, never by one that saw it), before → after: &lt;b&gt;{1} → {2}&lt;/b&gt; of {0}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="54"/>
        <source>Now read differently, before → now: {0} drawing(s).</source>
        <translation>
            <numerusform>Now read differently, before → now: {0} drawing.</numerusform>
            <numerusform>Now read differently, before → now: {0} drawings.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingDialog</name>
    <message numerus="yes">
        <location filename="../windows/training_dialog.py" line="433"/>
        <source>{0}.
Saved as “{1}” — test accuracy {2} ({3} error(s)).</source>
        <translation>
            <numerusform>{0}.
Saved as “{1}” — test accuracy {2} ({3} error).</numerusform>
            <numerusform>{0}.
Saved as “{1}” — test accuracy {2} ({3} errors).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingOutcome</name>
    <message numerus="yes">
        <location filename="../workers.py" line="261"/>
        <source>Finished %n epoch(s)</source>
        <translation>
            <numerusform>Finished %n epoch</numerusform>
            <numerusform>Finished %n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../workers.py" line="263"/>
        <source>Stopped early after epoch {0}: no better validation accuracy for %n epoch(s)</source>
        <translation>
            <numerusform>Stopped early after epoch {0}: no better validation accuracy for %n epoch</numerusform>
            <numerusform>Stopped early after epoch {0}: no better validation accuracy for %n epochs</numerusform>
        </translation>
    </message>
</context>
</TS>
