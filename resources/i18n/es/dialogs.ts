<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AckDialog</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>Reconocer alerta</translation>
    </message>
    <message>
        <source>&lt;b&gt;{severity} {rule} {title}&lt;/b&gt; since {when}&lt;br&gt;{message}&lt;br&gt;&lt;br&gt;Acknowledging says you have seen it; it stays open until the values recover.</source>
        <translation>&lt;b&gt;{severity} {rule} {title}&lt;/b&gt; desde el {when}&lt;br&gt;{message}&lt;br&gt;&lt;br&gt;Reconocerla indica que la ha visto; sigue abierta hasta que los valores se recuperen.</translation>
    </message>
    <message>
        <source>optional: what you saw or did</source>
        <translation>opcional: qué observó o qué hizo</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Sign…</source>
        <translation>Firmar…</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>This is recorded in the safety log as yours, with the time: you sign it next, with your password.</source>
        <translation>Queda registrado a su nombre en el registro de seguridad, con la hora: a continuación lo firma con su contraseña.</translation>
    </message>
    <message>
        <source>This is recorded in the safety log as yours, with the time.</source>
        <translation>Queda registrado a su nombre en el registro de seguridad, con la hora.</translation>
    </message>
</context>
<context>
    <name>AdverseEventDialog</name>
    <message>
        <source>mild</source>
        <translation>leve</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>moderado</translation>
    </message>
    <message>
        <source>severe or medically significant</source>
        <translation>grave o médicamente significativo</translation>
    </message>
    <message>
        <source>life-threatening</source>
        <translation>amenaza vital</translation>
    </message>
    <message>
        <source>death related to the event</source>
        <translation>muerte relacionada con el acontecimiento</translation>
    </message>
    <message>
        <source>unrelated</source>
        <translation>no relacionada</translation>
    </message>
    <message>
        <source>unlikely</source>
        <translation>improbable</translation>
    </message>
    <message>
        <source>possible</source>
        <translation>posible</translation>
    </message>
    <message>
        <source>probable</source>
        <translation>probable</translation>
    </message>
    <message>
        <source>definite</source>
        <translation>definida</translation>
    </message>
    <message>
        <source>not yet assessed</source>
        <translation>aún no evaluado</translation>
    </message>
    <message>
        <source>expected</source>
        <translation>esperado</translation>
    </message>
    <message>
        <source>unexpected</source>
        <translation>inesperado</translation>
    </message>
    <message>
        <source>death</source>
        <translation>muerte</translation>
    </message>
    <message>
        <source>life threatening</source>
        <translation>amenaza vital</translation>
    </message>
    <message>
        <source>hospitalisation/prolonged</source>
        <translation>hospitalización/prolongación</translation>
    </message>
    <message>
        <source>disability</source>
        <translation>discapacidad</translation>
    </message>
    <message>
        <source>congenital anomaly</source>
        <translation>anomalía congénita</translation>
    </message>
    <message>
        <source>medically important</source>
        <translation>médicamente importante</translation>
    </message>
    <message>
        <source>Record a follow-up of adverse event #{event}</source>
        <translation>Registrar un seguimiento del acontecimiento adverso n.º {event}</translation>
    </message>
    <message>
        <source>Record an adverse event</source>
        <translation>Registrar un acontecimiento adverso</translation>
    </message>
    <message>
        <source>Document an adverse event: its CTCAE v5.0 term and grade, onset and relatedness (all required), and for a serious one what the sponsor&apos;s report needs. Bedside derives expectedness, the SUSAR flag and the report&apos;s 24-hour deadline.</source>
        <translation>Documente un acontecimiento adverso: su término y grado CTCAE v5.0, inicio y relación de causalidad (todos obligatorios) y, si es grave, lo que necesita la notificación al promotor. Bedside deduce si es esperado, la marca de RAGI y el plazo de 24 horas de la notificación.</translation>
    </message>
    <message>
        <source>A follow-up is a new version of the event, prefilled from its latest one (version {version}): change what is new, such as the causality, the seriousness, the outcome or the end. The earlier versions stay as they were recorded.</source>
        <translation>Un seguimiento es una nueva versión del acontecimiento, rellenada a partir de la última (versión {version}): cambie lo nuevo, como la relación causal, la gravedad, el desenlace o el final. Las versiones anteriores quedan tal como se registraron.</translation>
    </message>
    <message>
        <source>a CTCAE v{version} term, or as written</source>
        <translation>un término CTCAE v{version} o tal como se escribió</translation>
    </message>
    <message>
        <source>choose…</source>
        <translation>elija…</translation>
    </message>
    <message>
        <source>{grade}: {words}</source>
        <translation>{grade}: {words}</translation>
    </message>
    <message>
        <source>Assessed by an intensivist or investigator</source>
        <translation>Lo evalúa un intensivista o un investigador</translation>
    </message>
    <message>
        <source>not linked to a dose</source>
        <translation>sin relación con una dosis</translation>
    </message>
    <message>
        <source>Dose {dose}</source>
        <translation>Dosis {dose}</translation>
    </message>
    <message>
        <source>no linked alert</source>
        <translation>sin alerta asociada</translation>
    </message>
    <message>
        <source>{rule} {title} ({when})</source>
        <translation>{rule} {title} ({when})</translation>
    </message>
    <message>
        <source>what was given for it (optional)</source>
        <translation>qué se administró para tratarlo (opcional)</translation>
    </message>
    <message>
        <source>The event {criterion}</source>
        <translation>El acontecimiento {criterion}</translation>
    </message>
    <message>
        <source>assessed as not serious</source>
        <translation>evaluado como no grave</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>no registrado</translation>
    </message>
    <message>
        <source>required when a recorded awareness time changes</source>
        <translation>obligatorio si cambia una fecha de conocimiento ya registrada</translation>
    </message>
    <message>
        <source>not ended or not known</source>
        <translation>no finalizado o se desconoce</translation>
    </message>
    <message>
        <source>8 digits (optional)</source>
        <translation>8 dígitos (opcional)</translation>
    </message>
    <message>
        <source>Why it changes</source>
        <translation>Por qué cambia</translation>
    </message>
    <message>
        <source>As version {version} links it; choose another dose to change the link</source>
        <translation>Como la vincula la versión {version}; elija otra dosis para cambiar el vínculo</translation>
    </message>
    <message>
        <source>alert #{id}</source>
        <translation>alerta n.º {id}</translation>
    </message>
    <message>
        <source>A follow-up keeps the alerts the event is linked to</source>
        <translation>Un seguimiento mantiene las alertas asociadas al acontecimiento</translation>
    </message>
    <message>
        <source>reported to the sponsor {when}</source>
        <translation>notificado al promotor el {when}</translation>
    </message>
    <message>
        <source>Discard this adverse event?</source>
        <translation>¿Descartar este acontecimiento adverso?</translation>
    </message>
    <message>
        <source>What you entered in this form has not been recorded and will be lost.</source>
        <translation>Lo introducido en este formulario no se ha registrado y se perderá.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>choose the dose it follows, or “not linked to a dose”</source>
        <translation>elija la dosis a la que sigue o «sin relación con una dosis»</translation>
    </message>
    <message>
        <source>Say why the time the team became aware changes (Why it changes): the 24-hour report still runs from the earliest awareness recorded. Nothing is recorded until then.</source>
        <translation>Indique por qué cambia la fecha en que el equipo tuvo conocimiento (Por qué cambia): la notificación en 24 horas sigue contando desde el primer conocimiento registrado. No se registra nada hasta entonces.</translation>
    </message>
    <message>
        <source>{problem}. Correct it: nothing is recorded, and you sign only once it is accepted.</source>
        <translation>{problem}. Corríjalo: no se registra nada y solo firmará cuando se acepte.</translation>
    </message>
    <message>
        <source>{message}

Nothing was recorded. Correct and sign again.</source>
        <translation>{message}

No se ha registrado nada. Corrija y vuelva a firmar.</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Término</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Grado</translation>
    </message>
    <message>
        <source>Relatedness</source>
        <translation>Causalidad</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Linked alert</source>
        <translation>Alerta asociada</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>Tratamiento</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Serious (ICH E2A)</source>
        <translation>Grave (ICH E2A)</translation>
    </message>
    <message>
        <source>Team aware at</source>
        <translation>Conocido por el equipo</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Desenlace</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Action with product</source>
        <translation>Acción con el producto</translation>
    </message>
    <message>
        <source>MedDRA code</source>
        <translation>Código MedDRA</translation>
    </message>
    <message>
        <source>Expectedness: {expectedness} (RSI {version})</source>
        <translation>Carácter esperado: {expectedness} (ISR, versión {version})</translation>
    </message>
    <message>
        <source>SUSAR: {susar}</source>
        <translation>RAGI: {susar}</translation>
    </message>
    <message>
        <source>Expectedness and SUSAR: once the grade is chosen</source>
        <translation>Carácter esperado y RAGI: una vez elegido el grado</translation>
    </message>
    <message>
        <source>term not in the CTCAE list: recorded as written</source>
        <translation>término fuera de la lista CTCAE: se registra tal como está escrito</translation>
    </message>
    <message>
        <source>special interest: {aesi}</source>
        <translation>interés especial: {aesi}</translation>
    </message>
    <message>
        <source>report to the sponsor due {when}</source>
        <translation>notificación al promotor antes del {when}</translation>
    </message>
    <message>
        <source>report to the sponsor due 24 h after the team became aware: record when</source>
        <translation>notificación al promotor en las 24 h siguientes a que el equipo lo supo: registre cuándo</translation>
    </message>
    <message>
        <source>{missing}: nothing is recorded until they are chosen.</source>
        <translation>{missing}: no se registra nada hasta que se elijan.</translation>
    </message>
</context>
<context>
    <name>AdverseEventHistoryDialog</name>
    <message>
        <source>Adverse events and their versions</source>
        <translation>Acontecimientos adversos y sus versiones</translation>
    </message>
    <message>
        <source>Each event as last recorded, then every version in the order recorded. A follow-up (the causality and seriousness assessed, the outcome, the end) is a new version; the earlier ones stay.</source>
        <translation>Cada acontecimiento tal como se registró por última vez y después cada versión en el orden en que se registró. Un seguimiento (la relación causal y la gravedad evaluadas, el desenlace, el final) es una nueva versión; las anteriores se conservan.</translation>
    </message>
    <message>
        <source>No adverse event was recorded.</source>
        <translation>No se ha registrado ningún acontecimiento adverso.</translation>
    </message>
    <message>
        <source>#{id} {term} G{grade}</source>
        <translation>n.º {id} {term} G{grade}</translation>
    </message>
    <message>
        <source>choose when it was sent</source>
        <translation>elija cuándo se envió</translation>
    </message>
    <message>
        <source>Record report to sponsor…</source>
        <translation>Registrar notificación al promotor…</translation>
    </message>
    <message>
        <source>An intensivist or investigator records it</source>
        <translation>Lo registra un intensivista o un investigador</translation>
    </message>
    <message>
        <source>Reported to the sponsor:</source>
        <translation>Notificado al promotor:</translation>
    </message>
    <message>
        <source>Record follow-up…</source>
        <translation>Registrar seguimiento…</translation>
    </message>
    <message>
        <source>Sign in on the nurse&apos;s screen to record a follow-up</source>
        <translation>Inicie sesión en la pantalla de enfermería para registrar un seguimiento</translation>
    </message>
    <message>
        <source>Follow-up of:</source>
        <translation>Seguimiento de:</translation>
    </message>
    <message>
        <source>Choose when the report was sent: nothing is recorded until then.</source>
        <translation>Elija cuándo se envió la notificación: no se registra nada hasta entonces.</translation>
    </message>
</context>
<context>
    <name>ConfirmDoseDialog</name>
    <message>
        <source>Confirm the start of dose {dose}</source>
        <translation>Confirmar el inicio de la dosis {dose}</translation>
    </message>
    <message>
        <source>{source} reported a start at {when}. Correct the time if it is wrong: the rules re-anchor on it.</source>
        <translation>{source} comunicó un inicio el {when}. Corrija la hora si es errónea: las reglas se recalculan a partir de ella.</translation>
    </message>
    <message>
        <source>the pump</source>
        <translation>la bomba</translation>
    </message>
    <message>
        <source>the pump&apos;s status</source>
        <translation>el estado de la bomba</translation>
    </message>
    <message>
        <source>the eMAR</source>
        <translation>el registro de administración (eMAR)</translation>
    </message>
    <message>
        <source>the nurse&apos;s entry</source>
        <translation>el registro de enfermería</translation>
    </message>
    <message>
        <source>Started at</source>
        <translation>Inicio</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>Sign in to act on this screen. While it is locked it shows the trends, the values and the alerts, and takes no action.</source>
        <translation>Inicie sesión para actuar en esta pantalla. Mientras está bloqueada muestra las tendencias, los valores y las alertas, y no admite ninguna acción.</translation>
    </message>
    <message>
        <source>Last signed in: {name} ({role})</source>
        <translation>Última sesión: {name} ({role})</translation>
    </message>
    <message>
        <source>your username</source>
        <translation>su usuario</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Demo accounts (synthetic data only): click one to fill it in</source>
        <translation>Cuentas de demostración (solo datos sintéticos): pulse una para rellenarla</translation>
    </message>
    <message>
        <source>{username} / {password}   ({name}, {role})</source>
        <translation>{username} / {password}   ({name}, {role})</translation>
    </message>
    <message>
        <source>{username} / {password}   ({role})</source>
        <translation>{username} / {password}   ({role})</translation>
    </message>
    <message>
        <source>Not signed in: {reason}.</source>
        <translation>No se ha iniciado sesión: {reason}.</translation>
    </message>
</context>
<context>
    <name>MuteDialog</name>
    <message>
        <source>Mute Bedside&apos;s sound for {minutes} min</source>
        <translation>Silenciar el sonido de Bedside {minutes} min</translation>
    </message>
    <message>
        <source>Bedside&apos;s sound stops for {minutes} min and then comes back on its own while an alert is still not acknowledged.&lt;br&gt;&lt;b&gt;Sounding for:&lt;/b&gt; {alerts}&lt;br&gt;&lt;br&gt;This mutes Bedside only: the bedside monitor and the infusion pump keep the primary alarms.</source>
        <translation>El sonido de Bedside se detiene {minutes} min y vuelve por sí solo si alguna alerta sigue sin reconocer.&lt;br&gt;&lt;b&gt;Suena por:&lt;/b&gt; {alerts}&lt;br&gt;&lt;br&gt;Esto solo silencia Bedside: el monitor de cabecera y la bomba de infusión mantienen las alarmas primarias.</translation>
    </message>
    <message>
        <source>optional: why (e.g. at the bedside, treating)</source>
        <translation>opcional: por qué (p. ej., a pie de cama, tratando)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
</context>
<context>
    <name>PasswordCheck</name>
    <message>
        <source>Checking the password…</source>
        <translation>Comprobando la contraseña…</translation>
    </message>
</context>
<context>
    <name>RecordMedicationDialog</name>
    <message>
        <source>Record medication</source>
        <translation>Registrar medicación</translation>
    </message>
    <message>
        <source>A drug given that the eMAR did not send. It is shown on the review around each dose: steroids and tocilizumab blunt fever and CRP, antipyretics mask fever, anticoagulants matter for thrombosis, vasopressors support blood pressure.</source>
        <translation>Un fármaco administrado que el registro de administración (eMAR) no envió. Se muestra en la revisión alrededor de cada dosis: los corticoides y el tocilizumab atenúan la fiebre y la PCR, los antitérmicos enmascaran la fiebre, los anticoagulantes cuentan para la trombosis y los vasopresores sostienen la presión arterial.</translation>
    </message>
    <message>
        <source>as on the chart, e.g. Dexamethasone</source>
        <translation>como en la hoja, p. ej. Dexametasona</translation>
    </message>
    <message>
        <source>choose the class…</source>
        <translation>elija el grupo…</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>cantidad</translation>
    </message>
    <message>
        <source>unit…</source>
        <translation>unidad…</translation>
    </message>
    <message>
        <source>IU</source>
        <translation>UI</translation>
    </message>
    <message>
        <source>choose the route…</source>
        <translation>elija la vía…</translation>
    </message>
    <message>
        <source>ended (an infusion or a period)</source>
        <translation>finalizada (una perfusión o un periodo)</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>Fármaco</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Grupo</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Vía</translation>
    </message>
    <message>
        <source>Given at</source>
        <translation>Administrado</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>the dose &apos;{typed}&apos; is not a number</source>
        <translation>la dosis «{typed}» no es un número</translation>
    </message>
</context>
<context>
    <name>RecordVitalsDialog</name>
    <message>
        <source>Record vital signs</source>
        <translation>Registrar constantes vitales</translation>
    </message>
    <message>
        <source>Enter what you measured. Leave blank what you did not measure. The values are shown and trended as &lt;b&gt;manual&lt;/b&gt; and are read by the infusion-reaction rules.</source>
        <translation>Introduzca lo que ha medido. Deje en blanco lo que no midió. Los valores se muestran y se representan en las tendencias como &lt;b&gt;manuales&lt;/b&gt;, y los leen las reglas de reacción relacionada con la infusión.</translation>
    </message>
    <message>
        <source>e.g. 38.4</source>
        <translation>p. ej. 38.4</translation>
    </message>
    <message>
        <source>site…</source>
        <translation>lugar…</translation>
    </message>
    <message>
        <source>sys</source>
        <translation>sist</translation>
    </message>
    <message>
        <source>dia</source>
        <translation>diast</translation>
    </message>
    <message>
        <source>mean: auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>Left blank, the mean is computed as (sys + 2 × dia) / 3</source>
        <translation>Si se deja en blanco, la media se calcula como (sist + 2 × diast) / 3</translation>
    </message>
    <message>
        <source>e.g. 94</source>
        <translation>p. ej. 94</translation>
    </message>
    <message>
        <source>e.g. 88</source>
        <translation>p. ej. 88</translation>
    </message>
    <message>
        <source>e.g. 18</source>
        <translation>p. ej. 18</translation>
    </message>
    <message>
        <source>Measured at</source>
        <translation>Medido el</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Blood pressure (cuff)</source>
        <translation>Presión arterial (manguito)</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>media</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Frecuencia cardiaca</translation>
    </message>
    <message>
        <source>Respiratory rate</source>
        <translation>Frecuencia respiratoria</translation>
    </message>
    <message>
        <source>Systolic</source>
        <translation>Sistólica</translation>
    </message>
    <message>
        <source>Diastolic</source>
        <translation>Diastólica</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>core</source>
        <translation>central</translation>
    </message>
    <message>
        <source>oesophageal</source>
        <translation>esofágica</translation>
    </message>
    <message>
        <source>bladder</source>
        <translation>vesical</translation>
    </message>
    <message>
        <source>rectal</source>
        <translation>rectal</translation>
    </message>
    <message>
        <source>tympanic</source>
        <translation>timpánica</translation>
    </message>
    <message>
        <source>axillary</source>
        <translation>axilar</translation>
    </message>
    <message>
        <source>oral</source>
        <translation>oral</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>nurse</source>
        <translation>enfermería</translation>
    </message>
    <message>
        <source>intensivist</source>
        <translation>intensivista</translation>
    </message>
    <message>
        <source>investigator</source>
        <translation>investigación</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administración</translation>
    </message>
    <message>
        <source>service</source>
        <translation>servicio</translation>
    </message>
</context>
<context>
    <name>ScreenLock</name>
    <message>
        <source>locked</source>
        <translation>bloqueo manual</translation>
    </message>
    <message>
        <source>switch user</source>
        <translation>cambio de usuario</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactividad</translation>
    </message>
    <message>
        <source>wrong passwords</source>
        <translation>contraseñas erróneas</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>No permitido</translation>
    </message>
    <message>
        <source>{reason}.</source>
        <translation>{reason}.</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <source>HIGH</source>
        <translation>ALTA</translation>
    </message>
    <message>
        <source>MEDIUM</source>
        <translation>MEDIA</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>BAJA</translation>
    </message>
</context>
<context>
    <name>SignCheckDialog</name>
    <message>
        <source>Sign a check</source>
        <translation>Firmar un control</translation>
    </message>
    <message>
        <source>The values below were captured automatically; look at the skin and the line, ask about symptoms, then sign.&lt;br&gt;&lt;br&gt;&lt;b&gt;Captured now:&lt;/b&gt; {values}</source>
        <translation>Los valores siguientes se han capturado automáticamente; observe la piel y la vía, pregunte por los síntomas y después firme.&lt;br&gt;&lt;br&gt;&lt;b&gt;Capturado ahora:&lt;/b&gt; {values}</translation>
    </message>
    <message>
        <source>skin, line, symptoms (optional)</source>
        <translation>piel, vía, síntomas (opcional)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Control</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Hallazgos</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>e.g. Documented: I observed this event at the bedside</source>
        <translation>p. ej. Documentado: observé este acontecimiento a pie de cama</translation>
    </message>
    <message>
        <source>e.g. Corrected: the pump&apos;s clock was wrong</source>
        <translation>p. ej. Corregido: el reloj de la bomba estaba mal</translation>
    </message>
    <message>
        <source>e.g. Cancelled: entered in error, no dose was given</source>
        <translation>p. ej. Anulado: introducido por error, no se administró ninguna dosis</translation>
    </message>
    <message>
        <source>Sign: {action}</source>
        <translation>Firmar: {action}</translation>
    </message>
    <message>
        <source>&lt;b&gt;You are signing:&lt;/b&gt; {what}&lt;br&gt;Your signature is recorded in the safety log with your printed name, your role, the time and its meaning, and shown wherever this record is shown. It is the legally binding equivalent of your handwritten signature.</source>
        <translation>&lt;b&gt;Está firmando:&lt;/b&gt; {what}&lt;br&gt;Su firma queda en el registro de seguridad con su nombre completo, su función, la hora y su significado, y se muestra allí donde se muestre este registro. Es el equivalente legalmente vinculante de su firma manuscrita.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; ({role})</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; ({role})</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>Firmante</translation>
    </message>
    <message>
        <source>what your signature means</source>
        <translation>qué significa su firma</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>Significado</translation>
    </message>
    <message>
        <source>your username</source>
        <translation>su usuario</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>your password</source>
        <translation>su contraseña</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <source>Not signed: {reason}. Nothing was recorded.</source>
        <translation>No firmado: {reason}. No se ha registrado nada.</translation>
    </message>
</context>
<context>
    <name>StartDoseDialog</name>
    <message>
        <source>Start a dose</source>
        <translation>Iniciar una dosis</translation>
    </message>
    <message>
        <source>Record the start of an infusion. The rules take this time as T0 (a pump&apos;s start within 30 min is confirmed and moved to it).</source>
        <translation>Registre el inicio de una infusión. Las reglas toman esta hora como T0 (un inicio de la bomba en los 30 min cercanos se confirma y se traslada a ella).</translation>
    </message>
    <message>
        <source>Before the start: {gaps}.</source>
        <translation>Antes del inicio: {gaps}.</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>se desconoce</translation>
    </message>
    <message>
        <source>product and lot, e.g. AT-MSC lot 24-117</source>
        <translation>producto y lote, p. ej. AT-MSC lote 24-117</translation>
    </message>
    <message>
        <source> ×10⁶ cells/kg</source>
        <translation> ×10⁶ células/kg</translation>
    </message>
    <message>
        <source>not entered</source>
        <translation>no introducido</translation>
    </message>
    <message>
        <source>Dose number</source>
        <translation>Número de dosis</translation>
    </message>
    <message>
        <source>of (doses planned)</source>
        <translation>de (dosis previstas)</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Dosing weight</source>
        <translation>Peso para la dosis</translation>
    </message>
    <message>
        <source>Started at</source>
        <translation>Inicio</translation>
    </message>
</context>
<context>
    <name>StopDoseDialog</name>
    <message>
        <source>End dose {dose}</source>
        <translation>Finalizar la dosis {dose}</translation>
    </message>
    <message>
        <source>Record the end of dose {dose}: the post-dose windows start here.</source>
        <translation>Registre el fin de la dosis {dose}: aquí empiezan las ventanas posdosis.</translation>
    </message>
    <message>
        <source>Ended at</source>
        <translation>Fin</translation>
    </message>
</context>
<context>
    <name>TimeChoice</name>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
</context>
</TS>
