package dev.paper2code.training.settings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a run setting on its {@link RunSettings} component: the default and what it means. The
 * component's name gives its REST name (snake_case: {@code batch_size}) and its configuration property
 * ({@code trainer.run.batch-size}, or {@code TRAINER_RUN_BATCH_SIZE}), unless {@link #property} names another.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Setting {
    /** No default: the setting is absent (null) unless configured. */
    String NONE = "\u0000none";

    String defaultValue() default NONE;

    String description();

    /** The configuration property; empty for {@code trainer.run.<kebab-case name>}. */
    String property() default "";
}
