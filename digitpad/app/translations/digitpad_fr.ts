<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AnswersPane</name>
    <message>
        <location filename="../widgets/probabilities.py" line="184"/>
        <source>Wrong? Correct it:</source>
        <translation>Faux&#xa0;? Corrigez&#xa0;:</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="188"/>
        <source>This is a {0}: store the drawing in my digits</source>
        <translation>C’est un {0}&#xa0;: garder le dessin dans mes chiffres</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="192"/>
        <source>Not a digit</source>
        <translation>Pas un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="193"/>
        <source>This is not a digit: store the drawing in my digits as a drawing that is not one</source>
        <translation>Ce n’est pas un chiffre&#xa0;: garder le dessin dans mes chiffres comme un dessin qui n’en est pas un</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="198"/>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="209"/>
        <source>{0} · your handwriting</source>
        <translation>{0} · votre écriture</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="210"/>
        <source>Taught your drawings in My digits (Model → Read with my handwriting)</source>
        <translation>A appris vos dessins de Mes chiffres (Modèle → Lire avec mon écriture)</translation>
    </message>
</context>
<context>
    <name>BackgroundJob</name>
    <message>
        <location filename="../workers.py" line="105"/>
        <source>unexpected error: {0}: {1}</source>
        <translation>erreur inattendue&#xa0;: {0}&#xa0;: {1}</translation>
    </message>
</context>
<context>
    <name>ConfusionWindow</name>
    <message>
        <location filename="../windows/confusion_window.py" line="93"/>
        <source>Confusion matrix — {0}, real pen digits of held-out writers</source>
        <translation>Matrice de confusion — {0}, vrais chiffres au stylo de scripteurs de test</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="94"/>
        <source>Evaluating {0} on real pen digits of held-out writers…</source>
        <translation>Évaluation de {0} sur de vrais chiffres au stylo de scripteurs de test…</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="96"/>
        <source>Confusion matrix — {0}, the MNIST test set</source>
        <translation>Matrice de confusion — {0}, jeu de test MNIST</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="97"/>
        <source>Evaluating {0} on the MNIST test set…</source>
        <translation>Évaluation de {0} sur le jeu de test MNIST…</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="105"/>
        <source>Click a cell of the matrix to see its test images.</source>
        <translation>Cliquez sur une case de la matrice pour voir ses images de test.</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="110"/>
        <source>Click an image to open it in the main window as a picture: “Why this digit?” explains what the reader sees in it.</source>
        <translation>Cliquez sur une image pour l’ouvrir dans la fenêtre principale&#xa0;: «&#xa0;Pourquoi ce chiffre&#xa0;?&#xa0;» explique ce que le lecteur y voit.</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="114"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="146"/>
        <source>Downloading…</source>
        <translation>Téléchargement…</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="173"/>
        <location filename="../windows/confusion_window.py" line="191"/>
        <source>Stopped.</source>
        <translation>Arrêté.</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="203"/>
        <source>Evaluation failed: {0}</source>
        <translation>Échec de l’évaluation&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="210"/>
        <source>{0}: accuracy {1} on {2} test images ({3} wrong). Red outlines: the 1/4/7 and 4/9 confusions.</source>
        <translation>{0}&#xa0;: exactitude de {1} sur {2} images de test ({3} erreurs). Contours rouges&#xa0;: les confusions 1/4/7 et 4/9.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/confusion_window.py" line="238"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; test image(s) of a &lt;b&gt;{1}&lt;/b&gt; read correctly as &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; image de test d’un &lt;b&gt;{1}&lt;/b&gt; bien lue comme &lt;b&gt;{2}&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; images de test d’un &lt;b&gt;{1}&lt;/b&gt; bien lues comme &lt;b&gt;{2}&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/confusion_window.py" line="240"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; test image(s) of a &lt;b&gt;{1}&lt;/b&gt; misread as &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; image de test d’un &lt;b&gt;{1}&lt;/b&gt; lue à tort comme &lt;b&gt;{2}&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; images de test d’un &lt;b&gt;{1}&lt;/b&gt; lues à tort comme &lt;b&gt;{2}&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="245"/>
        <source>Click an image to open it in the main window.</source>
        <translation>Cliquez sur une image pour l’ouvrir dans la fenêtre principale.</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="260"/>
        <source>pen digit #{0} (a {1} read as {2})</source>
        <translation>chiffre au stylo n°&#xa0;{0} (un {1} lu comme {2})</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="261"/>
        <source>test image #{0} (a {1} read as {2})</source>
        <translation>image de test n°&#xa0;{0} (un {1} lu comme {2})</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="213"/>
        <source>{0} on real pen digits of held-out writers</source>
        <translation>{0}, vrais chiffres au stylo (scripteurs de test)</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="214"/>
        <source>{0} on the MNIST test set</source>
        <translation>{0} sur le jeu de test MNIST</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="217"/>
        <source>predicted digit</source>
        <translation>chiffre prédit</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="218"/>
        <source>true digit</source>
        <translation>vrai chiffre</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="219"/>
        <source>images (log scale)</source>
        <translation>images (échelle log)</translation>
    </message>
    <message>
        <location filename="../windows/confusion_window.py" line="243"/>
        <source>{0} (first {1} shown)</source>
        <translation>{0} (les {1} premières affichées)</translation>
    </message>
</context>
<context>
    <name>DataFolder</name>
    <message>
        <location filename="../data_folder.py" line="121"/>
        <location filename="../data_folder.py" line="129"/>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="122"/>
        <source>Real pen digits</source>
        <translation>Vrais chiffres au stylo</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="123"/>
        <location filename="../data_folder.py" line="131"/>
        <source>UJI Pen Characters</source>
        <translation>UJI Pen Characters</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="124"/>
        <location filename="../data_folder.py" line="132"/>
        <source>Omniglot&apos;s strokes</source>
        <translation>Tracés d’Omniglot</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="130"/>
        <source>the real pen digits</source>
        <translation>les vrais chiffres au stylo</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="138"/>
        <source>MNIST: {0} handwritten digits (about {1} MB)</source>
        <translation>MNIST&#xa0;: {0} chiffres manuscrits (environ {1} Mo)</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="140"/>
        <source>Real pen digits: {0} digits written on a tablet by {1} people (about {2} MB)</source>
        <translation>Vrais chiffres au stylo&#xa0;: {0} chiffres écrits sur une tablette par {1} personnes (environ {2} Mo)</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="143"/>
        <source>UJI Pen Characters: letters and digits of {0} writers (about {1} MB)</source>
        <translation>UJI Pen Characters&#xa0;: lettres et chiffres de {0} scripteurs (environ {1} Mo)</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="145"/>
        <source>Omniglot&apos;s strokes: characters of other alphabets (about {0} MB)</source>
        <translation>Tracés d’Omniglot&#xa0;: caractères d’autres alphabets (environ {0} Mo)</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="158"/>
        <source>The folder holds MNIST&apos;s files; the other data sets may be in it, or in a pendigits/, uji/ or omniglot/ folder in it or beside it.</source>
        <translation>Le dossier contient les fichiers de MNIST&#xa0;; les autres jeux de données peuvent s’y trouver, ou dans un dossier pendigits/, uji/ ou omniglot/ placé dedans ou à côté.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="173"/>
        <source>Downloading {0}: {1} MB of {2} MB</source>
        <translation>Téléchargement&#xa0;: {0}, {1} Mo sur {2} Mo</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="175"/>
        <source>Downloading {0}: {1} MB</source>
        <translation>Téléchargement&#xa0;: {0}, {1} Mo</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="185"/>
        <source>This needs data that is not on this computer:</source>
        <translation>Il faut pour cela des données absentes de cet ordinateur&#xa0;:</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="187"/>
        <source>Looked in {0}.</source>
        <translation>Recherchées dans {0}.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="188"/>
        <source>Download it now, or choose a folder that already holds it?</source>
        <translation>Les télécharger maintenant, ou choisir un dossier qui les contient déjà&#xa0;?</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="190"/>
        <location filename="../data_folder.py" line="216"/>
        <source>Data not found</source>
        <translation>Données introuvables</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="192"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="193"/>
        <location filename="../data_folder.py" line="311"/>
        <source>Choose folder…</source>
        <translation>Choisir un dossier…</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="208"/>
        <source>Folder with the data</source>
        <translation>Dossier des données</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="217"/>
        <source>{0} does not hold:</source>
        <translation>{0} ne contient pas&#xa0;:</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="230"/>
        <source>Cannot remember the data folder</source>
        <translation>Impossible de retenir le dossier des données</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="231"/>
        <source>{0}
The folder is used until you quit.</source>
        <translation>{0}
Ce dossier est utilisé jusqu’à ce que vous quittiez l’application.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="283"/>
        <source>Could not download {0}: {1} cannot be written. Choose another data folder (Edit → Preferences…).</source>
        <translation>Impossible de télécharger {0}&#xa0;: {1} n’est pas accessible en écriture. Choisissez un autre dossier de données (Édition → Préférences…).</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="286"/>
        <source>Could not download {0}: no internet connection. Choose a folder that holds it.</source>
        <translation>Impossible de télécharger {0}&#xa0;: pas de connexion à Internet. Choisissez un dossier qui contient ces données.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="288"/>
        <source>Could not download {0}: no internet connection. Choose a folder that holds it, or set DIGITPAD_DATA_DIR.</source>
        <translation>Impossible de télécharger {0}&#xa0;: pas de connexion à Internet. Choisissez un dossier qui contient ces données, ou définissez DIGITPAD_DATA_DIR.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="290"/>
        <source>Could not download {0}. Choose a folder that holds it.</source>
        <translation>Impossible de télécharger {0}. Choisissez un dossier qui contient ces données.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="291"/>
        <source>Could not download {0}. Choose a folder that holds it, or set DIGITPAD_DATA_DIR.</source>
        <translation>Impossible de télécharger {0}. Choisissez un dossier qui contient ces données, ou définissez DIGITPAD_DATA_DIR.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="297"/>
        <source>Could not download {0}.</source>
        <translation>Impossible de télécharger {0}.</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="302"/>
        <source>Folder: {0}</source>
        <translation>Dossier&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../data_folder.py" line="308"/>
        <source>Download failed</source>
        <translation>Échec du téléchargement</translation>
    </message>
</context>
<context>
    <name>DrawingCanvas</name>
    <message>
        <location filename="../widgets/canvas.py" line="71"/>
        <source>Draw a digit (mouse, pen or finger)</source>
        <translation>Dessinez un chiffre (souris, stylet ou doigt)</translation>
    </message>
    <message>
        <location filename="../widgets/canvas.py" line="252"/>
        <source>draw a digit here</source>
        <translation>dessinez un chiffre ici</translation>
    </message>
</context>
<context>
    <name>DrawingPad</name>
    <message>
        <location filename="../widgets/drawing_pad.py" line="29"/>
        <source>Pen width ([ thinner, ] thicker)</source>
        <translation>Épaisseur du stylo ([ plus fin, ] plus épais)</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="33"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="34"/>
        <source>Remove the last stroke (Ctrl+Z)</source>
        <translation>Retirer le dernier trait (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="36"/>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="37"/>
        <source>Start again (Esc or Delete)</source>
        <translation>Recommencer (Échap ou Suppr)</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="42"/>
        <source>Pen</source>
        <translation>Stylo</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="47"/>
        <source>Draw</source>
        <translation>Dessiner</translation>
    </message>
    <message>
        <location filename="../widgets/drawing_pad.py" line="66"/>
        <source>{0} px</source>
        <translation>{0} px</translation>
    </message>
</context>
<context>
    <name>FineTuneDialog</name>
    <message>
        <location filename="../windows/finetune_dialog.py" line="49"/>
        <source>Fine-tune {0} on my digits</source>
        <translation>Affiner {0} sur mes chiffres</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="51"/>
        <source>Continue training &lt;b&gt;{0}&lt;/b&gt; on MNIST digits plus your &lt;b&gt;{1}&lt;/b&gt; digit(s) (each repeated 5 times and weighted more heavily), then compare before and after.</source>
        <translation>
            <numerusform>Poursuivre l’entraînement de &lt;b&gt;{0}&lt;/b&gt; sur des chiffres MNIST et votre &lt;b&gt;{1}&lt;/b&gt; chiffre (répété 5 fois et pondéré plus fortement), puis comparer avant et après.</numerusform>
            <numerusform>Poursuivre l’entraînement de &lt;b&gt;{0}&lt;/b&gt; sur des chiffres MNIST et vos &lt;b&gt;{1}&lt;/b&gt; chiffres (chacun répété 5 fois et pondéré plus fortement), puis comparer avant et après.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="66"/>
        <source> × an MNIST digit</source>
        <translation> × un chiffre MNIST</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="74"/>
        <source>New model name</source>
        <translation>Nom du nouveau modèle</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="75"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="76"/>
        <source>Weight of your digits</source>
        <translation>Poids de vos chiffres</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="77"/>
        <source>MNIST digits mixed in</source>
        <translation>Chiffres MNIST mélangés</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="79"/>
        <location filename="../windows/finetune_dialog.py" line="142"/>
        <source>Not started.</source>
        <translation>Pas encore lancé.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="79"/>
        <source>You have no stored digits yet.</source>
        <translation>Vous n’avez encore enregistré aucun chiffre.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="84"/>
        <source>Fine-tune</source>
        <translation>Affiner</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="87"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="90"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="109"/>
        <source>Choose another name</source>
        <translation>Choisissez un autre nom</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="110"/>
        <source>“{0}” is not a free model name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;; at most 64 characters).</source>
        <translation>«&#xa0;{0}&#xa0;» n’est pas un nom de modèle libre (lettres, chiffres, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;&#xa0;; 64 caractères au plus).</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="125"/>
        <source>Downloading…</source>
        <translation>Téléchargement…</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="189"/>
        <source>Only %n digit(s) to learn from.</source>
        <translation>
            <numerusform>Seulement %n chiffre à apprendre.</numerusform>
            <numerusform>Seulement %n chiffres à apprendre.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="191"/>
        <source>Fewer than {0} of the digits {1}.</source>
        <translation>Moins de {0} exemples des chiffres {1}.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="192"/>
        <source>Fine-tuning on so few can make the model lean toward the digits you taught: teach at least {0} of each digit, {1} or more in all.</source>
        <translation>Affiner sur si peu d’exemples peut faire pencher le modèle vers les chiffres que vous lui avez appris&#xa0;: apprenez-lui au moins {0} exemples de chaque chiffre, {1} ou plus en tout.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="197"/>
        <source>MNIST test set: {0} → {1}</source>
        <translation>Jeu de test MNIST&#xa0;: {0} → {1}</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="199"/>
        <source>your {0} digit(s) kept aside, not trained on: {1} → {2}</source>
        <translation>
            <numerusform>votre {0} chiffre gardé à part, hors entraînement&#xa0;: {1} → {2}</numerusform>
            <numerusform>vos {0} chiffres gardés à part, hors entraînement&#xa0;: {1} → {2}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="202"/>
        <source>your {0} digit(s) trained on: {1} → {2}</source>
        <translation>
            <numerusform>votre {0} chiffre d’entraînement&#xa0;: {1} → {2}</numerusform>
            <numerusform>vos {0} chiffres d’entraînement&#xa0;: {1} → {2}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/finetune_dialog.py" line="205"/>
        <source>your {0} digit(s), the ones it trained on (too few to keep some aside): {1} → {2}</source>
        <translation>
            <numerusform>votre {0} chiffre, celui de l’entraînement (trop peu pour en garder à part)&#xa0;: {1} → {2}</numerusform>
            <numerusform>vos {0} chiffres, ceux de l’entraînement (trop peu pour en garder à part)&#xa0;: {1} → {2}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="161"/>
        <source>Measuring the model before fine-tuning…</source>
        <translation>Mesure du modèle avant l’affinage…</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="168"/>
        <source>epoch {0}/{1} · batch {2}/{3} · loss {4} · ETA {5}</source>
        <translation>époque {0}/{1} · batch {2}/{3} · perte {4} · reste {5}</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="171"/>
        <source>Measuring the model after fine-tuning…</source>
        <translation>Mesure du modèle après l’affinage…</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="211"/>
        <source>{0}. Nothing was saved.</source>
        <translation>{0}. Rien n’a été enregistré.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="214"/>
        <source>Saved as “{0}”; it is now in the model list.</source>
        <translation>Enregistré sous «&#xa0;{0}&#xa0;»&#xa0;; il figure maintenant dans la liste des modèles.</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="218"/>
        <source>Failed: {0}</source>
        <translation>Échec&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/finetune_dialog.py" line="219"/>
        <source>Fine-tuning failed</source>
        <translation>Échec de l’affinage</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <location filename="../windows/help_dialogs.py" line="135"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <location filename="../windows/help_dialogs.py" line="40"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="41"/>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="41"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="42"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="49"/>
        <source>&lt;b&gt;Draw&lt;/b&gt;: draw one digit with the mouse, a pen or a finger. The pen slider changes the ink, not the answer: the app keeps your strokes and redraws them as thick as MNIST digits are.</source>
        <translation>&lt;b&gt;Dessiner&lt;/b&gt;&#xa0;: dessinez un chiffre à la souris, au stylet ou au doigt. Le curseur du stylo change l’encre, pas la réponse&#xa0;: l’application garde vos traits et les redessine aussi épais que ceux des chiffres MNIST.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="52"/>
        <source>&lt;b&gt;Network input&lt;/b&gt;: the 28×28 picture the network really sees, fitted into a 20-pixel box and centred as MNIST digits are. If it looks wrong, the answer will be too.</source>
        <translation>&lt;b&gt;Entrée du réseau&lt;/b&gt;&#xa0;: l’image 28×28 que le réseau voit vraiment, ramenée dans un carré de 20 pixels et centrée comme les chiffres MNIST. Si elle paraît fausse, la réponse le sera aussi.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="55"/>
        <source>&lt;b&gt;Prediction&lt;/b&gt;: the ten bars are the softmax probabilities; the large digit is the most likely one.</source>
        <translation>&lt;b&gt;Prédiction&lt;/b&gt;&#xa0;: les dix barres sont les probabilités du softmax&#xa0;; le grand chiffre est le plus probable.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="57"/>
        <source>&lt;b&gt;Unsure&lt;/b&gt;: the verdict says “sure” only where answers as sure were right at least {1} of the time on writers the reader never saw; less sure, it says “{0}” in orange, and the answer can go either way.</source>
        <translation>&lt;b&gt;Incertain&lt;/b&gt;&#xa0;: le verdict ne dit «&#xa0;sûr&#xa0;» que là où les réponses aussi sûres étaient justes au moins {1} du temps chez des scripteurs que le lecteur n’a jamais vus&#xa0;; moins sûr, il dit «&#xa0;{0}&#xa0;» en orange, et la réponse peut pencher d’un côté comme de l’autre.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="61"/>
        <source>&lt;b&gt;Not a digit&lt;/b&gt;: a letter, a symbol, a doodle or a scribble is answered “{0}”, its bars dimmed: they only say which digit it would be if it were one, and “Why this digit?” shows what made the stroke model say so. A dot or a tick is “{1}”.</source>
        <translation>&lt;b&gt;Pas un chiffre&lt;/b&gt;&#xa0;: une lettre, un symbole, un dessin ou un gribouillis reçoit la réponse «&#xa0;{0}&#xa0;», ses barres estompées&#xa0;: elles disent seulement quel chiffre ce serait si c’en était un, et «&#xa0;Pourquoi ce chiffre&#xa0;?&#xa0;» montre ce qui a fait dire cela au modèle de tracé. Un point ou une petite coche reçoit «&#xa0;{1}&#xa0;».</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="67"/>
        <source>&lt;b&gt;Why this digit?&lt;/b&gt;: a heat map over the 28×28 input: orange pixels push the model toward its answer, blue ones away from it. When it is unsure there are three maps: one for each digit, and what separates the two.</source>
        <translation>&lt;b&gt;Pourquoi ce chiffre&#xa0;?&lt;/b&gt;&#xa0;: une carte de chaleur sur l’entrée 28×28&#xa0;: les pixels orange poussent le modèle vers sa réponse, les bleus l’en éloignent. Quand il hésite, il y a trois cartes&#xa0;: une pour chaque chiffre, et ce qui distingue les deux.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="70"/>
        <source>&lt;b&gt;At every pen width&lt;/b&gt;: your own strokes redrawn with pens from 2 to 48 px, and each digit’s probability for each pen, for the raw pixels and for what the network is given. Click the plot to see one width.</source>
        <translation>&lt;b&gt;À chaque épaisseur de stylo&lt;/b&gt;&#xa0;: vos propres traits redessinés avec des stylos de 2 à 48 px, et la probabilité de chaque chiffre pour chaque stylo, pour les pixels bruts et pour ce que reçoit le réseau. Cliquez sur le graphique pour voir une épaisseur.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="73"/>
        <source>&lt;b&gt;Wrong? Correct it&lt;/b&gt;: click the right digit to keep the drawing in your own digits: the reader learns your handwriting from them at once (Model → Read with my handwriting), and Model → Fine-tune on my digits… teaches a larger set to the model.</source>
        <translation>&lt;b&gt;Faux&#xa0;? Corrigez&lt;/b&gt;&#xa0;: cliquez sur le bon chiffre pour garder le dessin dans vos chiffres&#xa0;: le lecteur y apprend aussitôt votre écriture (Modèle → Lire avec mon écriture), et Modèle → Affiner sur mes chiffres… apprend un ensemble plus grand au modèle.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="78"/>
        <source>How to read this window</source>
        <translation>Comment lire cette fenêtre</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="84"/>
        <source>A neural network written from scratch in NumPy, trained on MNIST and on real pen digits, and a canvas to draw digits for it.</source>
        <translation>Un réseau de neurones écrit de zéro en NumPy, entraîné sur MNIST et sur de vrais chiffres au stylo, et une zone de dessin pour lui dessiner des chiffres.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="86"/>
        <source>&lt;b&gt;Licence&lt;/b&gt;: MIT.</source>
        <translation>&lt;b&gt;Licence&lt;/b&gt;&#xa0;: MIT.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="87"/>
        <source>&lt;b&gt;Data&lt;/b&gt;: MNIST, by Yann LeCun, Corinna Cortes and Christopher J. C. Burges (derived from NIST). Pen-Based Recognition of Handwritten Digits, by E. Alpaydin and F. Alimoglu, UCI Machine Learning Repository, CC BY 4.0.</source>
        <translation>&lt;b&gt;Données&lt;/b&gt;&#xa0;: MNIST, de Yann LeCun, Corinna Cortes et Christopher J. C. Burges (dérivé de NIST). Pen-Based Recognition of Handwritten Digits, de E. Alpaydin et F. Alimoglu, UCI Machine Learning Repository, CC BY 4.0.</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="92"/>
        <source>The current model</source>
        <translation>Le modèle actuel</translation>
    </message>
    <message>
        <location filename="../windows/help_dialogs.py" line="94"/>
        <source>No model card for the current model.</source>
        <translation>Pas de fiche pour le modèle actuel.</translation>
    </message>
</context>
<context>
    <name>InputView</name>
    <message>
        <location filename="../widgets/input_view.py" line="27"/>
        <source>What the network sees: the drawing as a 28×28 MNIST-style input</source>
        <translation>Ce que voit le réseau&#xa0;: le dessin en entrée 28×28, à la manière de MNIST</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="54"/>
        <source>28 × 28 input</source>
        <translation>entrée 28 × 28</translation>
    </message>
</context>
<context>
    <name>InsidesWindow</name>
    <message>
        <location filename="../windows/insides_window.py" line="161"/>
        <source>Inside the network</source>
        <translation>À l’intérieur du réseau</translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="168"/>
        <location filename="../windows/insides_window.py" line="227"/>
        <source>Click a tile to enlarge it.</source>
        <translation>Cliquez sur une vignette pour l’agrandir.</translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="232"/>
        <source>No model.</source>
        <translation>Aucun modèle.</translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="233"/>
        <source>This reader has no image network: this window shows an image network&apos;s layers (the stroke model&apos;s input is drawn in the main window).</source>
        <translation>Ce lecteur n’a pas de réseau d’image&#xa0;: cette fenêtre montre les couches d’un réseau d’image (l’entrée du modèle de tracé est dessinée dans la fenêtre principale).</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/insides_window.py" line="236"/>
        <source>{0}: %n layer(s), {1} parameters; input {2}</source>
        <translation>
            <numerusform>{0}&#xa0;: %n couche, {1} paramètres&#xa0;; entrée {2}</numerusform>
            <numerusform>{0}&#xa0;: %n couches, {1} paramètres&#xa0;; entrée {2}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="244"/>
        <source>(logits)</source>
        <translation>(logits)</translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="247"/>
        <source>softmax: the probabilities shown in the main window</source>
        <translation>softmax&#xa0;: les probabilités affichées dans la fenêtre principale</translation>
    </message>
    <message>
        <location filename="../windows/insides_window.py" line="287"/>
        <source>layer {0} ({1}), channel {2}</source>
        <translation>couche {0} ({1}), canal {2}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../model_labels.py" line="39"/>
        <source>No model yet: use Model → Train new model…</source>
        <translation>Pas encore de modèle&#xa0;: utilisez Modèle → Entraîner un nouveau modèle…</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="20"/>
        <source>{0} (unreadable)</source>
        <translation>{0} (illisible)</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="24"/>
        <source>{0} (shipped)</source>
        <translation>{0} (fourni)</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="28"/>
        <source>{0} (user)</source>
        <translation>{0} (à vous)</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="25"/>
        <source>{0} (shipped, {1})</source>
        <translation>{0} (fourni, {1})</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="29"/>
        <source>{0} (user, {1})</source>
        <translation>{0} (à vous, {1})</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="44"/>
        <source>Picture and pen</source>
        <translation>Image et stylo</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="45"/>
        <source>Picture only</source>
        <translation>Image seule</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="46"/>
        <source>Pen only</source>
        <translation>Stylo seul</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="57"/>
        <source>{0} + {1} (default)</source>
        <translation>{0} + {1} (par défaut)</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="58"/>
        <location filename="../model_labels.py" line="81"/>
        <source>{0} + {1}</source>
        <translation>{0} + {1}</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="64"/>
        <source>This model cannot be used: {0}</source>
        <translation>Ce modèle ne peut pas être utilisé&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="67"/>
        <source>{0} reads the picture, {1} the path of the pen; their answers are combined</source>
        <translation>{0} lit l’image, {1} le tracé du stylo&#xa0;; leurs réponses sont combinées</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="70"/>
        <source>{0} reads the path of the pen only</source>
        <translation>{0} ne lit que le tracé du stylo</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="71"/>
        <source>{0} reads the picture only</source>
        <translation>{0} ne lit que l’image</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="97"/>
        <source>Why this digit?</source>
        <translation>Pourquoi ce chiffre&#xa0;?</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="98"/>
        <source>Your drawing at every pen width</source>
        <translation>Votre dessin à chaque épaisseur de stylo</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="130"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="131"/>
        <source>&amp;Open image…</source>
        <translation>&amp;Ouvrir une image…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="132"/>
        <source>&amp;Save drawing as PNG…</source>
        <translation>&amp;Enregistrer le dessin en PNG…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="134"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="135"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="136"/>
        <source>&amp;Undo stroke</source>
        <translation>&amp;Annuler le trait</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="137"/>
        <source>&amp;Clear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="139"/>
        <source>&amp;Thinner pen</source>
        <translation>Stylo plus &amp;fin</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="140"/>
        <source>T&amp;hicker pen</source>
        <translation>Stylo plus é&amp;pais</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="142"/>
        <source>&amp;Preferences…</source>
        <translation>Préférence&amp;s…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="143"/>
        <source>&amp;View</source>
        <translation>Afficha&amp;ge</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="149"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="157"/>
        <source>&amp;Model</source>
        <translation>&amp;Modèle</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="158"/>
        <source>&amp;Open model file…</source>
        <translation>&amp;Ouvrir un fichier de modèle…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="159"/>
        <source>&amp;Train new model…</source>
        <translation>&amp;Entraîner un nouveau modèle…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="160"/>
        <source>&amp;Fine-tune on my digits…</source>
        <translation>&amp;Affiner sur mes chiffres…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="161"/>
        <source>&amp;My digits…</source>
        <translation>Mes &amp;chiffres…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="163"/>
        <source>Read with my &amp;handwriting</source>
        <translation>&amp;Lire avec mon écriture</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="166"/>
        <source>Read your drawings with a reader taught every drawing in My digits; off: the reader as it was trained</source>
        <translation>Lire vos dessins avec un lecteur qui a appris chaque dessin de Mes chiffres&#xa0;; désactivé&#xa0;: le lecteur tel qu’il a été entraîné</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="171"/>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="172"/>
        <source>&amp;Inside the network…</source>
        <translation>À l’&amp;intérieur du réseau…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="173"/>
        <source>Stroke &amp;robustness…</source>
        <translation>&amp;Robustesse au trait…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="174"/>
        <source>Honest &amp;answers…</source>
        <translation>Réponses &amp;honnêtes…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="175"/>
        <source>&amp;Confusion matrix…</source>
        <translation>Matrice de &amp;confusion…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="176"/>
        <source>Confusion on real &amp;pen digits…</source>
        <translation>Confusion sur de vrais chiffres au &amp;stylo…</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="177"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="178"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="179"/>
        <source>&amp;How to read this window</source>
        <translation>&amp;Comment lire cette fenêtre</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="180"/>
        <source>&amp;About digitpad</source>
        <translation>À &amp;propos de digitpad</translation>
    </message>
    <message>
        <location filename="../model_labels.py" line="35"/>
        <source>{0} (file)</source>
        <translation>{0} (fichier)</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="189"/>
        <source>Open a digitpad model</source>
        <translation>Ouvrir un modèle digitpad</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="189"/>
        <source>digitpad models (*.npz *.onnx)</source>
        <translation>Modèles digitpad (*.npz *.onnx)</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="197"/>
        <source>New model “{0}” is in the model list.</source>
        <translation>Le nouveau modèle «&#xa0;{0}&#xa0;» est dans la liste des modèles.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="202"/>
        <source>Read with the new stroke model?</source>
        <translation>Lire avec le nouveau modèle de tracé&#xa0;?</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="203"/>
        <source>Read your drawings with {0} (the picture) and the new stroke model {1} (the path of the pen) together?</source>
        <translation>Lire vos dessins avec {0} (l’image) et le nouveau modèle de tracé {1} (le tracé du stylo) ensemble&#xa0;?</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="211"/>
        <source>Open a picture of a digit</source>
        <translation>Ouvrir l’image d’un chiffre</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="212"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="221"/>
        <source>Cannot open this picture</source>
        <translation>Impossible d’ouvrir cette image</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="224"/>
        <source>No digit found</source>
        <translation>Aucun chiffre trouvé</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="225"/>
        <source>{0}: the picture looks blank (no ink found).</source>
        <translation>{0}&#xa0;: l’image semble vide (aucune encre trouvée).</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="227"/>
        <location filename="../windows/main_window.py" line="235"/>
        <source>Showing {0}; draw, undo or clear to return to your drawing.</source>
        <translation>Affichage&#xa0;: {0}&#xa0;; dessinez, annulez ou effacez pour revenir à votre dessin.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="245"/>
        <source>Save the drawing</source>
        <translation>Enregistrer le dessin</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="245"/>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="255"/>
        <source>Cannot save the drawing</source>
        <translation>Impossible d’enregistrer le dessin</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="257"/>
        <source>Saved {0}</source>
        <translation>{0} enregistré</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="268"/>
        <source>Cannot store the drawing</source>
        <translation>Impossible d’enregistrer le dessin</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="272"/>
        <source>Draw a digit first, then click the digit it really is.</source>
        <translation>Dessinez d’abord un chiffre, puis cliquez sur celui qu’il est vraiment.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="268"/>
        <source>Cannot store the digit</source>
        <translation>Impossible d’enregistrer le chiffre</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="276"/>
        <source>Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); the reader is learning your handwriting…</source>
        <translation>
            <numerusform>Enregistré comme «&#xa0;pas un chiffre&#xa0;». Vous avez %n dessin marqué ainsi (Modèle → Mes chiffres…)&#xa0;; le lecteur apprend votre écriture…</numerusform>
            <numerusform>Enregistré comme «&#xa0;pas un chiffre&#xa0;». Vous avez %n dessins marqués ainsi (Modèle → Mes chiffres…)&#xa0;; le lecteur apprend votre écriture…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="278"/>
        <source>Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); fine-tuning, which teaches digits, leaves them out.</source>
        <translation>
            <numerusform>Enregistré comme «&#xa0;pas un chiffre&#xa0;». Vous avez %n dessin marqué ainsi (Modèle → Mes chiffres…)&#xa0;; l’affinage, qui apprend des chiffres, le laisse de côté.</numerusform>
            <numerusform>Enregistré comme «&#xa0;pas un chiffre&#xa0;». Vous avez %n dessins marqués ainsi (Modèle → Mes chiffres…)&#xa0;; l’affinage, qui apprend des chiffres, les laisse de côté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="282"/>
        <source>Stored as a {0}. You have {1} digit(s); the reader is learning your handwriting…</source>
        <translation>
            <numerusform>Enregistré comme un {0}. Vous avez {1} chiffre&#xa0;; le lecteur apprend votre écriture…</numerusform>
            <numerusform>Enregistré comme un {0}. Vous avez {1} chiffres&#xa0;; le lecteur apprend votre écriture…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="297"/>
        <source>Cannot remember this choice</source>
        <translation>Impossible de retenir ce choix</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="298"/>
        <source>{0}
The choice holds until you quit.</source>
        <translation>{0}
Le choix vaut jusqu’à ce que vous quittiez l’application.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="300"/>
        <source>Reading as the reader was trained, without your handwriting.</source>
        <translation>Lecture par le lecteur tel qu’il a été entraîné, sans votre écriture.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="302"/>
        <source>No drawings of yours to learn from yet: when the reader is wrong, click the right digit under “Correct it”.</source>
        <translation>Pas encore de dessins de vous à apprendre&#xa0;: quand le lecteur se trompe, cliquez sur le bon chiffre sous «&#xa0;Corrigez&#xa0;».</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="313"/>
        <source>Could not teach the reader your handwriting: {0}</source>
        <translation>Impossible d’apprendre votre écriture au lecteur&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="335"/>
        <source>No image network</source>
        <translation>Pas de réseau d’image</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="336"/>
        <source>Fine-tuning teaches your digits to an image network: choose a reader with one (Picture and pen, or Picture only).</source>
        <translation>L’affinage apprend vos chiffres à un réseau d’image&#xa0;: choisissez un lecteur qui en a un (Image et stylo, ou Image seule).</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="368"/>
        <source>A stroke model reads drawings</source>
        <translation>Un modèle de tracé lit des dessins</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="369"/>
        <source>MNIST&apos;s test set is pictures, which a stroke model alone cannot read: use Tools → Confusion on real pen digits, or a reader with an image network.</source>
        <translation>Le jeu de test MNIST est fait d’images, qu’un modèle de tracé seul ne sait pas lire&#xa0;: utilisez Outils → Confusion sur de vrais chiffres au stylo, ou un lecteur avec un réseau d’image.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="387"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="390"/>
        <source>How to read this window</source>
        <translation>Comment lire cette fenêtre</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="394"/>
        <source>About digitpad</source>
        <translation>À propos de digitpad</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="71"/>
        <source>Your settings were not used: {0}</source>
        <translation>Vos réglages n’ont pas été utilisés&#xa0;: {0}</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/main_window.py" line="283"/>
        <source>Stored as a {0}. You have {1} digit(s); Model → Fine-tune on my digits… teaches them to the model.</source>
        <translation>
            <numerusform>Enregistré comme un {0}. Vous avez {1} chiffre&#xa0;; Modèle → Affiner sur mes chiffres… l’apprend au modèle.</numerusform>
            <numerusform>Enregistré comme un {0}. Vous avez {1} chiffres&#xa0;; Modèle → Affiner sur mes chiffres… les apprend au modèle.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="403"/>
        <source>Cannot remember the language</source>
        <translation>Impossible de retenir la langue</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="404"/>
        <source>{0}
The language changes for this session only.</source>
        <translation>{0}
La langue change pour cette session seulement.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="332"/>
        <location filename="../windows/main_window.py" line="365"/>
        <source>No model</source>
        <translation>Aucun modèle</translation>
    </message>
</context>
<context>
    <name>ModelChooser</name>
    <message>
        <location filename="../widgets/model_chooser.py" line="33"/>
        <source>Compare with</source>
        <translation>Comparer avec</translation>
    </message>
    <message>
        <location filename="../widgets/model_chooser.py" line="104"/>
        <source>This model cannot be used: {0}</source>
        <translation>Ce modèle ne peut pas être utilisé&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/model_chooser.py" line="80"/>
        <source>{0} (file)</source>
        <translation>{0} (fichier)</translation>
    </message>
    <message>
        <location filename="../widgets/model_chooser.py" line="40"/>
        <source>Picture and pen: an image network reads the picture and a stroke model the path of the pen, and their answers are combined.
Picture only: an image network.  Pen only: a stroke model (it cannot read an opened picture).</source>
        <translation>Image et stylo&#xa0;: un réseau d’image lit l’image et un modèle de tracé le tracé du stylo, et leurs réponses sont combinées.
Image seule&#xa0;: un réseau d’image.  Stylo seul&#xa0;: un modèle de tracé (il ne sait pas lire une image ouverte).</translation>
    </message>
    <message>
        <location filename="../widgets/model_chooser.py" line="46"/>
        <source>Read with</source>
        <translation>Lire avec</translation>
    </message>
    <message>
        <location filename="../widgets/model_chooser.py" line="104"/>
        <source>Cannot use this model</source>
        <translation>Modèle inutilisable</translation>
    </message>
</context>
<context>
    <name>NetworkInputPane</name>
    <message>
        <location filename="../widgets/input_view.py" line="67"/>
        <source>canvas → probabilities:</source>
        <translation>dessin → probabilités&#xa0;:</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="71"/>
        <source>Time from canvas to probabilities: drawing_to_input (to_mnist for a picture) + predict_proba</source>
        <translation>Temps du dessin aux probabilités&#xa0;: drawing_to_input (to_mnist pour une image) + predict_proba</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="73"/>
        <source>Strokes redrawn</source>
        <translation>Traits redessinés</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="74"/>
        <source>Your pen as drawn</source>
        <translation>Votre stylo tel quel</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="76"/>
        <source>What the network sees of a drawing: its strokes redrawn as thick as MNIST&apos;s digits, whatever the pen (a fat pen no longer fills loops), or the pixels of your pen, thin strokes thickened</source>
        <translation>Ce que le réseau voit d’un dessin&#xa0;: ses traits redessinés aussi épais que ceux des chiffres MNIST, quel que soit le stylo (un gros stylo ne bouche plus les boucles), ou les pixels de votre stylo, les traits fins épaissis</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="90"/>
        <source>Network input</source>
        <translation>Entrée du réseau</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="80"/>
        <source>Picture: image normalisation</source>
        <translation>Image&#xa0;: normalisation d’image</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="82"/>
        <source>An opened picture has no strokes to redraw: it is cropped, scaled and centred as MNIST&apos;s digits were (image normalisation), whatever the switch says for drawings. Draw, undo or clear to return to your drawing.</source>
        <translation>Une image ouverte n’a pas de traits à redessiner&#xa0;: elle est recadrée, mise à l’échelle et centrée comme l’étaient les chiffres MNIST (normalisation d’image), quel que soit le choix fait pour les dessins. Dessinez, annulez ou effacez pour revenir à votre dessin.</translation>
    </message>
    <message>
        <location filename="../widgets/input_view.py" line="118"/>
        <source>canvas → probabilities: {0} ms
median {1} ms</source>
        <translation>dessin → probabilités&#xa0;: {0} ms
médiane {1} ms</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <location filename="../i18n.py" line="200"/>
        <source>{0}%</source>
        <translation>{0}&#xa0;%</translation>
    </message>
</context>
<context>
    <name>PersonalWindow</name>
    <message>
        <location filename="../windows/personal_window.py" line="85"/>
        <source>My digits</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="93"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="97"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="103"/>
        <source>Clear…</source>
        <translation>Effacer…</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="174"/>
        <source>No digits yet. Draw one, then click the right digit, or “Not a digit”, under “Correct it”. They are kept in {0}.</source>
        <translation>Pas encore de chiffres. Dessinez-en un, puis cliquez sur le bon chiffre, ou sur «&#xa0;Pas un chiffre&#xa0;», sous «&#xa0;Corrigez&#xa0;». Ils sont conservés dans {0}.</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="184"/>
        <source>label {0}</source>
        <translation>étiquette {0}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="163"/>
        <source>{0}: {1}</source>
        <translation>{0}&#xa0;: {1}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="94"/>
        <source>Read the folder again (drawings added by another digitpad) and teach the reader again</source>
        <translation>Relire le dossier (dessins ajoutés par un autre digitpad) et les apprendre de nouveau au lecteur</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="99"/>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="100"/>
        <source>Add the digits of a file exported from My digits (here or on another computer); those already here are not added twice</source>
        <translation>Ajouter les chiffres d’un fichier exporté depuis Mes chiffres (ici ou sur un autre ordinateur)&#xa0;; ceux déjà présents ne sont pas ajoutés en double</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="130"/>
        <source>Reading with your handwriting is off (Model → Read with my handwriting).</source>
        <translation>La lecture avec votre écriture est désactivée (Modèle → Lire avec mon écriture).</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="132"/>
        <source>Could not teach the reader your handwriting: {0}</source>
        <translation>Impossible d’apprendre votre écriture au lecteur&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="134"/>
        <source>Teaching the reader your handwriting…</source>
        <translation>Le lecteur apprend votre écriture…</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="165"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; digit(s)</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; chiffre</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; chiffres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="166"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; drawing(s) marked “not a digit”</source>
        <translation>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; dessin marqué «&#xa0;pas un chiffre&#xa0;»</numerusform>
            <numerusform>&lt;b&gt;{0}&lt;/b&gt; dessins marqués «&#xa0;pas un chiffre&#xa0;»</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="168"/>
        <source>{0} ({1}) and {2}, kept in {3}</source>
        <translation>{0} ({1}) et {2}, dans {3}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="170"/>
        <source>{0} ({1}), kept in {2}</source>
        <translation>{0} ({1}), dans {2}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="172"/>
        <source>{0}, kept in {1}</source>
        <translation>{0}, dans {1}</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="177"/>
        <source>Skipped %n file(s) that cannot be used:</source>
        <translation>
            <numerusform>%n fichier inutilisable ignoré&#xa0;:</numerusform>
            <numerusform>%n fichiers inutilisables ignorés&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="184"/>
        <source>not a digit</source>
        <translation>pas un chiffre</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="187"/>
        <source>Export my digits</source>
        <translation>Exporter mes chiffres</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="188"/>
        <location filename="../windows/personal_window.py" line="200"/>
        <source>NumPy archive (*.npz)</source>
        <translation>Archive NumPy (*.npz)</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="194"/>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="194"/>
        <source>Could not write {0}: {1}</source>
        <translation>Impossible d’écrire {0}&#xa0;: {1}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="196"/>
        <source>Exported {0} to {1} (images, labels, 10 for “not a digit”, and drawings; no pickle).</source>
        <translation>Export dans {1}&#xa0;: {0} (images, étiquettes, 10 pour «&#xa0;pas un chiffre&#xa0;», et dessins&#xa0;; sans pickle).</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="197"/>
        <source>{0} drawing(s)</source>
        <translation>
            <numerusform>{0} dessin</numerusform>
            <numerusform>{0} dessins</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="200"/>
        <source>Import digits</source>
        <translation>Importer des chiffres</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="211"/>
        <source>Cannot import this file</source>
        <translation>Impossible d’importer ce fichier</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="214"/>
        <source>Imported {0} drawing(s) from {1}.</source>
        <translation>
            <numerusform>{0} dessin importé depuis {1}.</numerusform>
            <numerusform>{0} dessins importés depuis {1}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="216"/>
        <source>{0} drawing(s) already here, not added twice.</source>
        <translation>
            <numerusform>{0} dessin déjà présent, pas ajouté en double.</numerusform>
            <numerusform>{0} dessins déjà présents, pas ajoutés en double.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="221"/>
        <source>Delete all your digits?</source>
        <translation>Supprimer tous vos chiffres&#xa0;?</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="222"/>
        <source>Delete every stored digit? This cannot be undone.</source>
        <translation>Supprimer tous les chiffres enregistrés&#xa0;? C’est irréversible.</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="229"/>
        <source>Cannot delete your digits</source>
        <translation>Impossible de supprimer vos chiffres</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../windows/preferences_dialog.py" line="26"/>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="32"/>
        <source>Choose folder…</source>
        <translation>Choisir un dossier…</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="34"/>
        <source>Use the default folders</source>
        <translation>Utiliser les dossiers par défaut</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="49"/>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="51"/>
        <source>The folder the app reads its data sets from:</source>
        <translation>Le dossier où l’application lit ses jeux de données&#xa0;:</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="56"/>
        <source>Found there:</source>
        <translation>Jeux de données trouvés&#xa0;:</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="60"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="75"/>
        <source>Chosen by you. Downloads go there too.</source>
        <translation>Choisi par vous. Les téléchargements y sont aussi enregistrés.</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="77"/>
        <source>{0} DIGITPAD_DATA_DIR is not used while a folder is chosen.</source>
        <translation>{0} DIGITPAD_DATA_DIR n’est pas utilisé tant qu’un dossier est choisi.</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="80"/>
        <source>The default folders</source>
        <translation>Les dossiers par défaut</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="82"/>
        <source>Searched in this order: {0}. Downloads go to {1}.</source>
        <translation>Recherche dans cet ordre&#xa0;: {0}. Les téléchargements sont enregistrés dans {1}.</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="85"/>
        <source>{0} is not there now. {1}</source>
        <translation>{0} est introuvable pour l’instant. {1}</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="93"/>
        <source>not found</source>
        <translation>introuvable</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="96"/>
        <source>found in {0}</source>
        <translation>trouvé dans {0}</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="104"/>
        <source>the folder</source>
        <translation>le dossier</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="106"/>
        <source>{0}/ in it</source>
        <translation>{0}/ du dossier</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="108"/>
        <source>{0}/ beside it</source>
        <translation>{0}/ à côté du dossier</translation>
    </message>
    <message>
        <location filename="../windows/preferences_dialog.py" line="113"/>
        <source>Data folder</source>
        <translation>Dossier des données</translation>
    </message>
</context>
<context>
    <name>ReaderSide</name>
    <message>
        <location filename="../widgets/reader_side.py" line="31"/>
        <source>While two readers are compared, which one this panel follows</source>
        <translation>Quand deux lecteurs sont comparés, celui que suit ce panneau</translation>
    </message>
    <message>
        <location filename="../widgets/reader_side.py" line="77"/>
        <source>{0}, the reader on the left</source>
        <translation>{0}, le lecteur de gauche</translation>
    </message>
    <message>
        <location filename="../widgets/reader_side.py" line="78"/>
        <source>{0}, the compared reader</source>
        <translation>{0}, le lecteur comparé</translation>
    </message>
</context>
<context>
    <name>RobustnessWindow</name>
    <message>
        <location filename="../windows/robustness_window.py" line="103"/>
        <source>Stroke robustness</source>
        <translation>Robustesse au trait</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="111"/>
        <source>{0} (the app&apos;s reader)</source>
        <translation>{0} (le lecteur de l’application)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="112"/>
        <source>The app&apos;s reader: the image network and the stroke model together</source>
        <translation>Le lecteur de l’application&#xa0;: le réseau d’image et le modèle de tracé ensemble</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="128"/>
        <source> drawings</source>
        <translation> dessins</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="130"/>
        <source>Real pen digits (held-out writers)</source>
        <translation>Vrais chiffres au stylo (scripteurs de test)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="131"/>
        <source>MNIST test digits, traced</source>
        <translation>Chiffres de test MNIST, tracés</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="135"/>
        <source>Run</source>
        <translation>Lancer</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="138"/>
        <location filename="../windows/robustness_window.py" line="219"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="142"/>
        <source>Test the models on drawings made with pens 2–32 px wide, through each of the app&apos;s pipelines: strokes redrawn at MNIST&apos;s thickness (what the app uses), the pen&apos;s pixels with thin strokes thickened, and the raw pixels.
The app&apos;s reader reads each drawing as the app does: its image network at each pen width, with its stroke model, which reads the path of the pen and which no pen width changes.</source>
        <translation>Tester les modèles sur des dessins faits avec des stylos de 2 à 32 px, par chacune des chaînes de traitement de l’application&#xa0;: traits redessinés à l’épaisseur de MNIST (ce qu’utilise l’application), pixels du stylo aux traits fins épaissis, et pixels bruts.
Le lecteur de l’application lit chaque dessin comme elle le fait&#xa0;: son réseau d’image à chaque épaisseur de stylo, avec son modèle de tracé, qui lit le chemin du stylo et qu’aucune épaisseur ne change.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="157"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="159"/>
        <source>Test drawings</source>
        <translation>Dessins de test</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="176"/>
        <source>Pen widths</source>
        <translation>Par épaisseur de stylo</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="177"/>
        <source>Honest answers</source>
        <translation>Réponses honnêtes</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="203"/>
        <source>How honest is the app&apos;s reader, &lt;b&gt;{0}&lt;/b&gt;? It reads the digits of writers no model was trained or calibrated on, and drawings that are not digits (letters, characters of other alphabets, shapes, scribbles, digits crossed out). The diagram shows, for each confidence it gives, how often it is right: an honest reader stays on the diagonal.</source>
        <translation>Le lecteur de l’application, &lt;b&gt;{0}&lt;/b&gt;, est-il honnête&#xa0;? Il lit les chiffres de scripteurs sur lesquels aucun modèle n’a été entraîné ni calibré, et des dessins qui ne sont pas des chiffres (lettres, caractères d’autres alphabets, formes, gribouillis, chiffres barrés). Le diagramme montre, pour chaque confiance qu’il affiche, à quelle fréquence il a raison&#xa0;: un lecteur honnête reste sur la diagonale.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="214"/>
        <source>Traced MNIST test digits measured beside the writers&apos; own pen digits (needs MNIST; each thousand adds some seconds)</source>
        <translation>Chiffres de test MNIST tracés, mesurés en plus des chiffres au stylo des scripteurs (il faut MNIST&#xa0;; chaque millier ajoute quelques secondes)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="216"/>
        <source>Measure</source>
        <translation>Mesurer</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="223"/>
        <source>Traced MNIST digits too:</source>
        <translation>Chiffres MNIST tracés en plus&#xa0;:</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="229"/>
        <source>Not measured yet: about half a minute.</source>
        <translation>Pas encore mesuré&#xa0;: environ une demi-minute.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="260"/>
        <source>digits answered
“not a digit”</source>
        <translation>chiffres jugés
«&#xa0;pas un chiffre&#xa0;»</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="261"/>
        <source>Real digits the reader refuses to read: fewer is better</source>
        <translation>Vrais chiffres que le lecteur refuse de lire&#xa0;: moins il y en a, mieux c’est</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="262"/>
        <source>digits:
sure and right</source>
        <translation>chiffres&#xa0;:
sûr et juste</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="263"/>
        <source>Real digits answered “N % sure it is a d” with the right digit: more is better</source>
        <translation>Vrais chiffres qui reçoivent «&#xa0;sûr à N&#xa0;% que c’est un d&#xa0;» avec le bon chiffre&#xa0;: plus il y en a, mieux c’est</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="265"/>
        <source>digits:
sure and wrong</source>
        <translation>chiffres&#xa0;:
sûr et faux</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="266"/>
        <source>Real digits answered “sure” with a wrong digit: the answers an honest reader never gives</source>
        <translation>Vrais chiffres qui reçoivent «&#xa0;sûr&#xa0;» avec un mauvais chiffre&#xa0;: les réponses qu’un lecteur honnête ne donne jamais</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="268"/>
        <source>calibration
error (ECE)</source>
        <translation>erreur de
calibration (ECE)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="269"/>
        <source>Expected calibration error: how far, on average, the confidence shown is from how often the reader is right at it</source>
        <translation>Erreur de calibration attendue (ECE)&#xa0;: l’écart moyen entre la confiance affichée et la fréquence à laquelle le lecteur a raison avec cette confiance</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="271"/>
        <source>not digits given
a sure verdict</source>
        <translation>non-chiffres jugés
avec certitude</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="272"/>
        <source>Drawings that are not digits answered “N % sure it is a d”: fewer is better</source>
        <translation>Dessins qui ne sont pas des chiffres et reçoivent «&#xa0;sûr à N&#xa0;% que c’est un d&#xa0;»&#xa0;: moins il y en a, mieux c’est</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="278"/>
        <source>image network and stroke model combined</source>
        <translation>réseau d’image et modèle de tracé combinés</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="278"/>
        <source>the image network alone</source>
        <translation>le réseau d’image seul</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="279"/>
        <source>the stroke model alone</source>
        <translation>le modèle de tracé seul</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="319"/>
        <source>Not run: {0} not found.</source>
        <translation>Pas lancé&#xa0;: données introuvables ({0}).</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="333"/>
        <source>Downloading…</source>
        <translation>Téléchargement…</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="365"/>
        <source>Tick at least one model.</source>
        <translation>Cochez au moins un modèle.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="378"/>
        <source>Drawing and classifying {0} digits per pen width…</source>
        <translation>Dessin et classification de {0} chiffres par épaisseur de stylo…</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="401"/>
        <source>Real pen digits of held-out writers, n = {0}</source>
        <translation>Vrais chiffres au stylo (scripteurs de test), n = {0}</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="401"/>
        <source>Drawn MNIST test digits, n = {0}</source>
        <translation>Chiffres de test MNIST dessinés, n = {0}</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="407"/>
        <source>Accuracy by pen width on {0} real pen digits of held-out writers (the canvas is 128 px, as in the app&apos;s preprocessing study).</source>
        <translation>Exactitude par épaisseur de stylo sur {0} vrais chiffres au stylo de scripteurs de test (dessin de 128 px, comme dans l’étude du prétraitement de l’application).</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="410"/>
        <source>Accuracy by pen width on {0} traced MNIST test digits (the canvas is 128 px, as in the app&apos;s preprocessing study).</source>
        <translation>Exactitude par épaisseur de stylo sur {0} chiffres de test MNIST tracés (dessin de 128 px, comme dans l’étude du prétraitement de l’application).</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="416"/>
        <source>strokes redrawn (the app&apos;s)</source>
        <translation>traits redessinés (l’application)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="416"/>
        <source>image-normalised</source>
        <translation>image normalisée</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="417"/>
        <source>raw pixels</source>
        <translation>pixels bruts</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="432"/>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="432"/>
        <source>pipeline</source>
        <translation>traitement</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="432"/>
        <source>{0} px</source>
        <translation>{0} px</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="435"/>
        <source>spread {0}–{1}</source>
        <translation>écart {0}–{1}</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="440"/>
        <source>Accuracy (%) by pen width, n = {0} (canvas {1} px, seed {2})</source>
        <translation>Exactitude (%) par épaisseur de stylo, n = {0} (dessin de {1} px, graine {2})</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="442"/>
        <source>(stopped: incomplete)</source>
        <translation>(arrêté&#xa0;: incomplet)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="451"/>
        <source>standard error per figure: √(p(1−p)/n) = {0} to {1} points (n = {2}; the columns use the same drawings)</source>
        <translation>erreur type de chaque valeur&#xa0;: √(p(1−p)/n) = {0} à {1} points (n = {2}&#xa0;; les colonnes utilisent les mêmes dessins)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="456"/>
        <source>drawings in which preprocessing found no ink (counted as misread): {0}</source>
        <translation>dessins où le prétraitement n’a trouvé aucune encre (comptés comme mal lus)&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="337"/>
        <location filename="../windows/robustness_window.py" line="461"/>
        <location filename="../windows/robustness_window.py" line="545"/>
        <source>Failed: {0}</source>
        <translation>Échec&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="483"/>
        <source>Reading the held-out writers&apos; digits and the drawings that are not digits with each kind of reader {0} holds…</source>
        <translation>Lecture des chiffres des scripteurs de test et des dessins qui ne sont pas des chiffres par chaque lecteur que contient {0}…</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="508"/>
        <source>confidence (the top probability shown)</source>
        <translation>confiance (la plus haute probabilité affichée)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="508"/>
        <source>accuracy</source>
        <translation>exactitude</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="509"/>
        <source>Reliability on held-out writers&apos; digits</source>
        <translation>Fiabilité sur les chiffres des scripteurs de test</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="514"/>
        <source>{0} (ECE {1})</source>
        <translation>{0} (ECE {1})</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="531"/>
        <source>{0}
(the app&apos;s reader)</source>
        <translation>{0}
(le lecteur de l’application)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="539"/>
        <source>{0}: measured on {1} digits of held-out writers and {2} drawings that are not digits; each figure is a share of them.</source>
        <translation>{0}&#xa0;: mesuré sur {1} chiffres de scripteurs de test et {2} dessins qui ne sont pas des chiffres&#xa0;; chaque valeur en est une part.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="352"/>
        <location filename="../windows/robustness_window.py" line="387"/>
        <location filename="../windows/robustness_window.py" line="493"/>
        <source>Stopped.</source>
        <translation>Arrêté.</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="133"/>
        <source>Real pen digits: about {0} digits of {1} writers no model is trained on</source>
        <translation>Vrais chiffres au stylo&#xa0;: environ {0} chiffres de {1} scripteurs sur lesquels aucun modèle n’est entraîné</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="393"/>
        <source>pen width (px on a {0}-px canvas)</source>
        <translation>épaisseur du stylo (px, sur un dessin de {0} px)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="394"/>
        <source>accuracy (%)</source>
        <translation>exactitude (%)</translation>
    </message>
    <message>
        <location filename="../windows/robustness_window.py" line="403"/>
        <source>{0} (stopped)</source>
        <translation>{0} (arrêté)</translation>
    </message>
</context>
<context>
    <name>StrokeInputPane</name>
    <message>
        <location filename="../widgets/stroke_view.py" line="147"/>
        <source>What the stroke model sees: the pen&apos;s path resampled to 64 points, light at its start, dark at its end, arrows for its direction; dashed: the pen lifted; ringed: where it came down again</source>
        <translation>Ce que voit le modèle de tracé&#xa0;: le tracé du stylo rééchantillonné en 64 points, clair au début, foncé à la fin, des flèches pour son sens&#xa0;; en pointillés&#xa0;: le stylo levé&#xa0;; cerclé&#xa0;: là où il s’est reposé</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="157"/>
        <source>Stroke model input</source>
        <translation>Entrée du tracé</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="179"/>
        <source>no stroke model in this reader</source>
        <translation>pas de modèle de tracé dans ce lecteur</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="180"/>
        <source>Choose a reader with the pen to see it.</source>
        <translation>Choisissez un lecteur avec le stylo pour le voir.</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="183"/>
        <source>a picture has no strokes</source>
        <translation>une image n’a pas de traits</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="183"/>
        <source>the pen&apos;s path</source>
        <translation>le tracé du stylo</translation>
    </message>
    <message>
        <location filename="../widgets/stroke_view.py" line="184"/>
        <source>The picture is read by the image network alone.</source>
        <translation>L’image est lue par le réseau d’image seul.</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/stroke_view.py" line="188"/>
        <source>%n stroke(s), 64 points</source>
        <translation>
            <numerusform>%n trait, 64 points</numerusform>
            <numerusform>%n traits, 64 points</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeachingText</name>
    <message>
        <location filename="../windows/personal_window.py" line="35"/>
        <source>Taught your drawing; teach a few more to see how the reader reads the ones it was not taught.</source>
        <translation>Votre dessin est appris&#xa0;; apprenez-en quelques autres pour voir comment le lecteur lit ceux qu’il n’a pas appris.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="37"/>
        <source>Taught {0} of your drawing(s): read right when each is left out of the teaching {1} → {2} of {0}; the reader now reads {3} of them differently.</source>
        <translation>
            <numerusform>{0} de vos dessins appris&#xa0;: bien lus quand chacun est laissé hors de l’apprentissage, {1} → {2} sur {0}&#xa0;; le lecteur en lit maintenant {3} autrement.</numerusform>
            <numerusform>{0} de vos dessins appris&#xa0;: bien lus quand chacun est laissé hors de l’apprentissage, {1} → {2} sur {0}&#xa0;; le lecteur en lit maintenant {3} autrement.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="44"/>
        <source>Reading with your handwriting.</source>
        <translation>Lecture avec votre écriture.</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="46"/>
        <source>The reader is taught your one drawing; teach a few more to see how it reads the ones it was not taught.</source>
        <translation>Le lecteur a appris votre seul dessin&#xa0;; apprenez-en quelques autres pour voir comment il lit ceux qu’il n’a pas appris.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="48"/>
        <source>The reader is taught your {0} drawing(s). Read right when each is left out of the teaching (read by a reader taught all the others, never by one that saw it), before → after: &lt;b&gt;{1} → {2}&lt;/b&gt; of {0}.</source>
        <translation>
            <numerusform>Le lecteur a appris {0} de vos dessins. Bien lus quand chacun est laissé hors de l’apprentissage (lu par un lecteur qui a appris tous les autres, jamais par un qui l’a vu), avant → après&#xa0;: &lt;b&gt;{1} → {2}&lt;/b&gt; sur {0}.</numerusform>
            <numerusform>Le lecteur a appris {0} de vos dessins. Bien lus quand chacun est laissé hors de l’apprentissage (lu par un lecteur qui a appris tous les autres, jamais par un qui l’a vu), avant → après&#xa0;: &lt;b&gt;{1} → {2}&lt;/b&gt; sur {0}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/personal_window.py" line="54"/>
        <source>Now read differently, before → now: {0} drawing(s).</source>
        <translation>
            <numerusform>Lus autrement maintenant, avant → maintenant&#xa0;: {0} dessin.</numerusform>
            <numerusform>Lus autrement maintenant, avant → maintenant&#xa0;: {0} dessins.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="56"/>
        <source>None of them is read differently now.</source>
        <translation>Aucun n’est lu autrement maintenant.</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="60"/>
        <source>not a digit</source>
        <translation>pas un chiffre</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="65"/>
        <source>{0} → {1}</source>
        <translation>{0} → {1}</translation>
    </message>
    <message>
        <location filename="../windows/personal_window.py" line="66"/>
        <source>Taught as {0}; read {1} before the teaching, {2} now.</source>
        <translation>Appris comme {0}&#xa0;; lu {1} avant l’apprentissage, {2} maintenant.</translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <location filename="../widgets/plots.py" line="107"/>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <location filename="../widgets/plots.py" line="108"/>
        <source>accuracy</source>
        <translation>exactitude</translation>
    </message>
    <message>
        <location filename="../widgets/plots.py" line="109"/>
        <source>training (running)</source>
        <translation>entraînement (par batch)</translation>
    </message>
    <message>
        <location filename="../widgets/plots.py" line="110"/>
        <source>validation</source>
        <translation>validation</translation>
    </message>
    <message>
        <location filename="../widgets/plots.py" line="113"/>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <location filename="../widgets/plots.py" line="121"/>
        <source>no data yet</source>
        <translation>pas encore de données</translation>
    </message>
</context>
<context>
    <name>TrainingDialog</name>
    <message>
        <location filename="../windows/training_dialog.py" line="65"/>
        <source>Train a new model</source>
        <translation>Entraîner un nouveau modèle</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="85"/>
        <source>e.g. my-convnet</source>
        <translation>p. ex. mon-convnet</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="102"/>
        <location filename="../windows/training_dialog.py" line="105"/>
        <source>preset default</source>
        <translation>valeur de l’architecture</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="105"/>
        <source>on</source>
        <translation>activée</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="105"/>
        <source>off</source>
        <translation>désactivée</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="107"/>
        <source>affine, elastic, stroke width</source>
        <translation>affine, élastique, épaisseur du trait</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="108"/>
        <source>prepare images like drawings</source>
        <translation>préparer les images comme des dessins</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="120"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="120"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="122"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="122"/>
        <source>Batch size</source>
        <translation>Taille de batch</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="123"/>
        <source>Optimiser</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="123"/>
        <source>Learning rate</source>
        <translation>Taux d’apprentissage</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="124"/>
        <source>Schedule</source>
        <translation>Évolution du taux</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="125"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="125"/>
        <source>Batch norm</source>
        <translation>Normalisation de batch</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="126"/>
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="127"/>
        <source>Stroke normalisation</source>
        <translation>Normalisation des traits</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="127"/>
        <source>Seed</source>
        <translation>Graine aléatoire</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="111"/>
        <source>all {0}</source>
        <translation>toutes ({0})</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="128"/>
        <source>MNIST images</source>
        <translation>Images MNIST</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="130"/>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="138"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="140"/>
        <source>Stopped trainings</source>
        <translation>Entraînements interrompus</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="149"/>
        <location filename="../windows/training_dialog.py" line="323"/>
        <source>Not started.</source>
        <translation>Pas encore lancé.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="162"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="165"/>
        <source>Start training</source>
        <translation>Lancer l’entraînement</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="168"/>
        <source>Cancel training</source>
        <translation>Arrêter l’entraînement</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="171"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="190"/>
        <source>{0}: epoch {1} of {2} done, best {3}</source>
        <translation>{0}&#xa0;: époque {1} sur {2} faite, meilleure {3}</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="208"/>
        <source>The fastest good model: about 25 s on two cores, 99 % after 15 s and 99.3 % at the end on MNIST&apos;s test set.</source>
        <translation>Le bon modèle le plus rapide : environ 25 s avec deux cœurs, 99 % au bout de 15 s et 99,3 % à la fin sur le jeu de test MNIST.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="210"/>
        <source>The shipped CNN&apos;s network. Its best settings (99.6 %, real pen digits included) take about 45 minutes: see the model card of models/cnn.npz.</source>
        <translation>Le réseau du CNN fourni. Ses meilleurs réglages (99,6 %, chiffres réels au stylo compris) prennent environ 45 minutes : voir la fiche du modèle models/cnn.npz.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="212"/>
        <source>A stroke model, quickly: it reads the path of the pen (real pen digits and traced MNIST digits), about a minute and a half on two cores. Then read with your image network and it together.</source>
        <translation>Un modèle de tracé, vite fait&#xa0;: il lit le tracé du stylo (vrais chiffres au stylo et chiffres MNIST retracés), environ une minute et demie avec deux cœurs. Lisez ensuite avec votre réseau d’image et lui ensemble.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="215"/>
        <source>The shipped stroke model&apos;s network and settings: reads the path of the pen; several minutes on two cores.</source>
        <translation>Le réseau et les réglages du modèle de tracé fourni&#xa0;: il lit le tracé du stylo&#xa0;; plusieurs minutes avec deux cœurs.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="218"/>
        <source>The trainer&apos;s general settings: set epochs and rates below.</source>
        <translation>Les réglages généraux de l’entraîneur : choisissez ci-dessous les époques et les taux.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="242"/>
        <source>A stroke model trains on the writers&apos; pen trajectories (counted when training starts).</source>
        <translation>Un modèle de tracé s’entraîne sur les tracés au stylo des scripteurs (comptés au début de l’entraînement).</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="245"/>
        <source>Too few images to hold some out for validation.</source>
        <translation>Trop peu d’images pour en garder à part pour la validation.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="247"/>
        <source>{0} to train on, {1} held out to validate</source>
        <translation>{0} pour l’entraînement, {1} gardées à part pour la validation</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="270"/>
        <location filename="../windows/training_dialog.py" line="276"/>
        <source>Choose another name</source>
        <translation>Choisissez un autre nom</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="271"/>
        <source>A model name uses letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, starts with a letter or digit and has at most 64 characters.</source>
        <translation>Un nom de modèle est fait de lettres, de chiffres, de &apos;-&apos;, &apos;_&apos; et &apos;.&apos;, commence par une lettre ou un chiffre et compte au plus 64 caractères.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="277"/>
        <source>A model named {0} already exists in {1}.</source>
        <translation>Un modèle nommé {0} existe déjà dans {1}.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="283"/>
        <source>Check the settings</source>
        <translation>Vérifiez les réglages</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="308"/>
        <source>Downloading…</source>
        <translation>Téléchargement…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="338"/>
        <source>Loading MNIST…</source>
        <translation>Chargement de MNIST…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="338"/>
        <source>Loading the pen digits…</source>
        <translation>Chargement des chiffres au stylo…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="359"/>
        <source>The training has ended; its model is being saved.</source>
        <translation>L’entraînement est terminé&#xa0;; son modèle est en cours d’enregistrement.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="362"/>
        <source>Stop training?</source>
        <translation>Arrêter l’entraînement&#xa0;?</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="363"/>
        <source>Stop training now? The model trained so far can be evaluated and saved, or discarded.</source>
        <translation>Arrêter l’entraînement maintenant&#xa0;? Le modèle entraîné jusqu’ici peut être évalué et enregistré, ou abandonné.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="365"/>
        <source>Stop and keep</source>
        <translation>Arrêter et garder</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="366"/>
        <source>Stop and discard</source>
        <translation>Arrêter et abandonner</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="367"/>
        <source>Continue training</source>
        <translation>Poursuivre l’entraînement</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="380"/>
        <source>Stopping… the model so far will be evaluated and saved.</source>
        <translation>Arrêt en cours… le modèle obtenu sera évalué et enregistré.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="381"/>
        <source>Stopping…</source>
        <translation>Arrêt en cours…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="393"/>
        <source>Training on {0} pen trajectories, validating on {1} ({2} parameters)…</source>
        <translation>Entraînement sur {0} tracés au stylo, validation sur {1} ({2} paramètres)…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="395"/>
        <source>Training on {0} images, validating on {1} ({2} parameters)…</source>
        <translation>Entraînement sur {0} images, validation sur {1} ({2} paramètres)…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="400"/>
        <source>epoch {0}/{1} · batch {2}/{3} · loss {4} · acc. {5} · {6} samples/s · ETA {7}</source>
        <translation>époque {0}/{1} · batch {2}/{3} · perte {4} · exact. {5} · {6} exemples/s · reste {7}</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="411"/>
        <source>Evaluating on the test set and saving…</source>
        <translation>Évaluation sur le jeu de test et enregistrement…</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="429"/>
        <source>{0}. Discarded as you asked: nothing was saved.</source>
        <translation>{0}. Abandonné à votre demande&#xa0;: rien n’a été enregistré.</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="430"/>
        <source>{0}. Nothing was saved.</source>
        <translation>{0}. Rien n’a été enregistré.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/training_dialog.py" line="433"/>
        <source>{0}.
Saved as “{1}” — test accuracy {2} ({3} error(s)).</source>
        <translation>
            <numerusform>{0}.
Enregistré sous «&#xa0;{1}&#xa0;» — exactitude de test {2} ({3} erreur).</numerusform>
            <numerusform>{0}.
Enregistré sous «&#xa0;{1}&#xa0;» — exactitude de test {2} ({3} erreurs).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="438"/>
        <source>Failed: {0}</source>
        <translation>Échec&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../windows/training_dialog.py" line="439"/>
        <source>Training failed</source>
        <translation>Échec de l’entraînement</translation>
    </message>
</context>
<context>
    <name>TrainingOutcome</name>
    <message numerus="yes">
        <location filename="../workers.py" line="261"/>
        <source>Finished %n epoch(s)</source>
        <translation>
            <numerusform>%n époque terminée</numerusform>
            <numerusform>%n époques terminées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../workers.py" line="263"/>
        <source>Stopped early after epoch {0}: no better validation accuracy for %n epoch(s)</source>
        <translation>
            <numerusform>Arrêt anticipé après l’époque {0}&#xa0;: pas de meilleure exactitude de validation depuis %n époque</numerusform>
            <numerusform>Arrêt anticipé après l’époque {0}&#xa0;: pas de meilleure exactitude de validation depuis %n époques</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../workers.py" line="266"/>
        <source>Training cancelled in epoch {0}</source>
        <translation>Entraînement annulé pendant l’époque {0}</translation>
    </message>
    <message>
        <location filename="../workers.py" line="267"/>
        <source>Training cancelled</source>
        <translation>Entraînement annulé</translation>
    </message>
    <message>
        <location filename="../workers.py" line="269"/>
        <source>Training diverged in epoch {0} (the loss blew up); the last good weights were kept: try a lower learning rate</source>
        <translation>L’entraînement a divergé pendant l’époque {0} (la perte a explosé)&#xa0;; les derniers bons poids ont été gardés&#xa0;: essayez un taux d’apprentissage plus bas</translation>
    </message>
    <message>
        <location filename="../workers.py" line="274"/>
        <source>; best validation accuracy {0} at epoch {1}</source>
        <translation>&#xa0;; meilleure exactitude de validation {0} à l’époque {1}</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../widgets/probabilities.py" line="31"/>
        <source>no strokes to read</source>
        <translation>aucun trait à lire</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="33"/>
        <location filename="../windows/help_dialogs.py" line="66"/>
        <source>too small to read: draw bigger</source>
        <translation>trop petit pour être lu&#xa0;: dessinez plus grand</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="36"/>
        <location filename="../windows/help_dialogs.py" line="65"/>
        <source>this doesn&apos;t look like a digit</source>
        <translation>ceci ne ressemble pas à un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="38"/>
        <location filename="../windows/help_dialogs.py" line="60"/>
        <source>unsure: {0} or {1}</source>
        <translation>incertain&#xa0;: {0} ou {1}</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="39"/>
        <source>{0} sure it is a {1}</source>
        <translation>sûr à {0} que c’est un {1}</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="156"/>
        <source>A stroke model reads the path of the pen: an opened picture has none.</source>
        <translation>Un modèle de tracé lit le tracé du stylo&#xa0;: une image ouverte n’en a pas.</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="159"/>
        <source>The stroke model gives {0} to “not a digit”. The dimmed bars say which digit it would be if it were one.</source>
        <translation>Le modèle de tracé donne {0} à «&#xa0;pas un chiffre&#xa0;». Les barres estompées disent quel chiffre ce serait si c’en était un.</translation>
    </message>
    <message>
        <location filename="../widgets/probabilities.py" line="34"/>
        <source>draw a digit</source>
        <translation>dessinez un chiffre</translation>
    </message>
</context>
<context>
    <name>WhyPanel</name>
    <message>
        <location filename="../widgets/why_view.py" line="102"/>
        <source>Gradient × input</source>
        <translation>Gradient × entrée</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="103"/>
        <source>Occlusion</source>
        <translation>Occlusion</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="235"/>
        <source>orange: pushes toward the digit · blue: pushes away</source>
        <translation>orange&#xa0;: pousse vers le chiffre · bleu&#xa0;: en éloigne</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="135"/>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="105"/>
        <source>Gradient × input: each pixel times how much it raises the digit&apos;s score (backpropagation, live), averaged over slightly noisy copies of the drawing and over neighbouring pixels, so that the map shows regions rather than speckle (SmoothGrad).
Occlusion: how much the digit&apos;s probability falls when a 4×4 patch around the pixel is blanked (slower, arrives a moment later).</source>
        <translation>Gradient × entrée&#xa0;: chaque pixel multiplié par ce dont il augmente le score du chiffre (rétropropagation, en direct), en moyenne sur des copies légèrement bruitées du dessin et sur les pixels voisins, pour que la carte montre des régions plutôt que des mouchetures (SmoothGrad).
Occlusion&#xa0;: de combien la probabilité du chiffre baisse quand un carré de 4×4 autour du pixel est effacé (plus lent, arrive un instant plus tard).</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="178"/>
        <source>Explains {0}</source>
        <translation>Explique {0}</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="234"/>
        <source>orange: pushes toward “not a digit” · blue: pushes away</source>
        <translation>orange&#xa0;: pousse vers «&#xa0;pas un chiffre&#xa0;» · bleu&#xa0;: en éloigne</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="275"/>
        <source>computing…</source>
        <translation>calcul…</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="280"/>
        <source>for “not a digit”</source>
        <translation>pour «&#xa0;pas un chiffre&#xa0;»</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="290"/>
        <source>Image network {0}</source>
        <translation>Réseau d’image {0}</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="291"/>
        <source>Image network</source>
        <translation>Réseau d’image</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="300"/>
        <location filename="../widgets/why_view.py" line="333"/>
        <source>draw a digit</source>
        <translation>dessinez un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="299"/>
        <location filename="../widgets/why_view.py" line="329"/>
        <source>none in this reader</source>
        <translation>aucun dans ce lecteur</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="175"/>
        <source>Explains</source>
        <translation>Explique</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="300"/>
        <source>not a digit</source>
        <translation>pas un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="301"/>
        <source>The image network knows only digits: the stroke model says this is not one.</source>
        <translation>Le réseau d’image ne connaît que les chiffres&#xa0;: le modèle de tracé dit que ceci n’en est pas un.</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="325"/>
        <source>Stroke model {0}</source>
        <translation>Modèle de tracé {0}</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="326"/>
        <source>Stroke model</source>
        <translation>Modèle de tracé</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="331"/>
        <source>a picture has no strokes</source>
        <translation>une image n’a pas de traits</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="281"/>
        <location filename="../widgets/why_view.py" line="283"/>
        <source>for {0}</source>
        <translation>pour {0}</translation>
    </message>
    <message>
        <location filename="../widgets/why_view.py" line="283"/>
        <source>{0} rather than {1}</source>
        <translation>{0} plutôt que {1}</translation>
    </message>
</context>
<context>
    <name>WidthPlot</name>
    <message>
        <location filename="../widgets/width_view.py" line="115"/>
        <source>This reader has no image network: a stroke model reads the path of the pen, which the pen width does not change.</source>
        <translation>Ce lecteur n’a pas de réseau d’image&#xa0;: un modèle de tracé lit le tracé du stylo, que l’épaisseur du stylo ne change pas.</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="118"/>
        <source>The image network {0} (a stroke model does not depend on the pen width), of the reader</source>
        <translation>Le réseau d’image {0} (un modèle de tracé ne dépend pas de l’épaisseur du stylo), du lecteur</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="121"/>
        <source>The image network {0}; a stroke model does not depend on the pen width.</source>
        <translation>Le réseau d’image {0}&#xa0;; un modèle de tracé ne dépend pas de l’épaisseur du stylo.</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="178"/>
        <source>raw pixels</source>
        <translation>pixels bruts</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="178"/>
        <source>network input (strokes)</source>
        <translation>entrée du réseau (traits)</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="179"/>
        <source>network input (your pen)</source>
        <translation>entrée du réseau (votre stylo)</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="189"/>
        <source>pen width (px)</source>
        <translation>épaisseur du stylo (px)</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="206"/>
        <source>probability</source>
        <translation>probabilité</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="210"/>
        <source>digit</source>
        <translation>chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="212"/>
        <source>draw a digit</source>
        <translation>dessinez un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="234"/>
        <source>Click the plot to see the drawing at that pen width.</source>
        <translation>Cliquez sur le graphique pour voir le dessin à cette épaisseur de stylo.</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="238"/>
        <source>raw: {0}</source>
        <translation>brut&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="238"/>
        <source>network: {0}</source>
        <translation>réseau&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/width_view.py" line="247"/>
        <source>pen {0} px</source>
        <translation>stylo {0} px</translation>
    </message>
</context>
</TS>
